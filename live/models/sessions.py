import math
from datetime import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel

from .rules import PresenceRule


class LiveSession(models.Model):
    """One time a webinar or classroom course is given: when, where, how many may come and
    how presence is proven. Learners register for a session; its points follow presence."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CLOSED = "closed", _("Closed: presence decided")

    course = models.ForeignKey(
        "catalog.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="live_sessions",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("planned end"))
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: no limit. When it is full, learners join the waiting list."),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: at the start.")
    )
    cancellation_deadline = models.DateTimeField(
        _("cancel until"),
        null=True,
        blank=True,
        help_text=_("Until when a learner can cancel. Empty: until the start."),
    )
    venue = models.CharField(
        _("venue"), max_length=150, blank=True, help_text=_("Empty: the course's venue.")
    )
    address = models.CharField(
        _("address"), max_length=250, blank=True, help_text=_("Empty: the course's address.")
    )
    registration_url = models.URLField(
        _("register at the provider"),
        max_length=500,
        blank=True,
        help_text=_(
            "For a course the provider takes registrations for itself: learners go to this "
            "address (Leerstroom records that they went) and do not register here."
        ),
    )
    rule = models.ForeignKey(
        PresenceRule,
        verbose_name=_("presence rule"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.SCHEDULED, editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        PageChooserPanel("course", page_type="catalog.CoursePage"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldRowPanel(
            [
                FieldPanel("capacity"),
                FieldPanel("registration_closes_at"),
                FieldPanel("cancellation_deadline"),
            ]
        ),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldPanel("address")], heading=_("Place (classroom)")
        ),
        FieldPanel("rule", widget=forms.Select),
        FieldPanel("registration_url"),
    ]

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        permissions = [
            ("mark_presence", _("Can mark presence, close sessions and export presence lists")),
            ("moderate_session", _("Can hold presence checks during a live session")),
        ]
        indexes = [models.Index(fields=["course", "starts_at"], name="live_session_course")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="live_session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The session must end after it starts.")
        for field in ("registration_closes_at", "cancellation_deadline"):
            moment = getattr(self, field)
            if moment and self.starts_at and moment > self.starts_at:
                errors[field] = _("This must be before the session starts.")
        rule = self.rule if self.rule_id else None
        limit = rule.max_participants if rule is not None else None
        if limit and (self.capacity is None or self.capacity > limit):
            errors["capacity"] = _(
                "With “%(rule)s” the register accepts at most %(count)s participants: set "
                "the places to that, or choose a rule with presence checks."
            ) % {"rule": rule.name, "count": limit}
        if errors:
            raise ValidationError(errors)

    @property
    def planned_minutes(self) -> int:
        return math.ceil((self.ends_at - self.starts_at).total_seconds() / 60)

    @property
    def registration_deadline(self) -> datetime:
        return self.registration_closes_at or self.starts_at

    @property
    def cancel_deadline(self) -> datetime:
        return self.cancellation_deadline or self.starts_at

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED
