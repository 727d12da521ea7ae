from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from ..language import in_active_language


class Register(models.Model):
    """A register a professional is in: BIG (work hours) or a specialist or quality register."""

    class Kind(models.TextChoices):
        WORK_HOURS = "work_hours", _("Work hours (BIG re-registration)")
        POINTS = "points", _("Accreditation points")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, unique=True)
    # Learners who read the site in English see these; what goes to the register stays Dutch.
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.POINTS)
    website = models.URLField(_("website"), blank=True)
    number_label = models.CharField(
        _("number label"),
        max_length=60,
        default="Registratienummer",
        help_text=_("What the register calls a member's number, e.g. BIG-nummer."),
    )
    professions = models.ManyToManyField(
        "catalog.Profession",
        verbose_name=_("professions"),
        blank=True,
        related_name="+",
        help_text=_("Professions this register is for; used to suggest it during onboarding."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("short_name"),
        FieldPanel("short_name_en"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("website"),
        FieldPanel("number_label"),
        FieldPanel("professions"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "short_name"]
        verbose_name = _("register")
        verbose_name_plural = _("registers")

    def __str__(self) -> str:
        return self.short_name

    @property
    def display_name(self) -> str:
        return in_active_language(self.name, self.name_en)

    @property
    def display_short_name(self) -> str:
        return in_active_language(self.short_name, self.short_name_en)
