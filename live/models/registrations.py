import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .sessions import LiveSession


class SessionRegistration(models.Model):
    """A learner's place at a session, or on its waiting list. One row per learner and
    session: cancelling and registering again reuse it, so the calendar invitation keeps its
    UID and each change raises its sequence."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(
        LiveSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="live_registrations",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    # The last sequence an e-mail went out for: a retried task sends nothing twice.
    mailed_sequence = models.PositiveIntegerField(_("e-mailed sequence"), null=True, blank=True)
    queued_at = models.DateTimeField(_("registered at"))  # the waiting list's order
    seat_since = models.DateTimeField(_("place since"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("registration for a session")
        verbose_name_plural = _("registrations for sessions")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="live_registration_once"),
        ]
        indexes = [
            models.Index(fields=["session", "status", "queued_at"], name="live_registration_list"),
            models.Index(fields=["user", "status"], name="live_registration_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.session}"


class ProviderReferral(models.Model):
    """A learner sent to the provider's own registration page: the provider registers them,
    Leerstroom knows they went."""

    session = models.ForeignKey(
        LiveSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="referrals",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    clicked_at = models.DateTimeField(_("clicked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral to the provider")
        verbose_name_plural = _("referrals to the provider")

    def __str__(self) -> str:
        return f"{self.session} · {self.clicked_at:%Y-%m-%d %H:%M}"
