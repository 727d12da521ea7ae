from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel


class PresenceRule(models.Model):
    """How presence at a session is proven and what counts as present, as a register accepts
    it: data editors choose per session, with the register's own source."""

    class Method(models.TextChoices):
        ROOM = "room", _("Presence list in the room")
        CAMERA = "camera", _("Online with cameras on, confirmed by staff")
        CHECKS = "checks", _("Online with presence checks")

    name = models.CharField(_("name"), max_length=100, unique=True)
    method = models.CharField(_("how presence is proven"), max_length=10, choices=Method.choices)
    min_presence_percent = models.PositiveSmallIntegerField(
        _("present at least (percentage of the planned time)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    min_checks_percent = models.PositiveSmallIntegerField(
        _("checks answered at least (percentage of those held)"),
        default=66,
        validators=[MaxValueValidator(100)],
        help_text=_("66 asks 2 of 3 checks, 3 of 4. Only for presence checks."),
    )
    max_participants = models.PositiveSmallIntegerField(
        _("at most this many participants"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("The register accepts this way of proving presence up to this many people."),
    )
    checks_per_90_minutes = models.PositiveSmallIntegerField(
        _("checks per 1.5 hours"),
        default=3,
        validators=[MaxValueValidator(12)],
        help_text=_("How many checks to plan when the moderator plans them for a session."),
    )
    check_seconds = models.PositiveSmallIntegerField(
        _("time to answer a check (seconds)"),
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(900)],
    )
    source_url = models.URLField(_("source"), blank=True, max_length=300)
    note = models.TextField(_("note"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("method")]),
        FieldRowPanel([FieldPanel("min_presence_percent"), FieldPanel("max_participants")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("min_checks_percent"),
                        FieldPanel("checks_per_90_minutes"),
                        FieldPanel("check_seconds"),
                    ]
                ),
            ],
            heading=_("Presence checks"),
        ),
        FieldPanel("source_url"),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("presence rule")
        verbose_name_plural = _("presence rules")

    def __str__(self) -> str:
        return self.name

    @property
    def online(self) -> bool:
        return self.method != self.Method.ROOM

    @property
    def staff_confirm(self) -> bool:
        """Staff mark who was there (in the room, or seen on camera)."""
        return self.method in (self.Method.ROOM, self.Method.CAMERA)
