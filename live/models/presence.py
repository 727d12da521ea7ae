from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .registrations import SessionRegistration
from .sessions import LiveSession

MINUTE_SEEN, MINUTE_UNSEEN = "1", "0"


class Attendance(models.Model):
    """What is known of one registered learner's presence at a session, and, once the session
    is closed, what the rule decided from it (kept, so a later change of the rule rewrites
    nothing)."""

    class Outcome(models.TextChoices):
        MET = "met", _("Present: points awarded")
        NOT_MET = "not_met", _("Not enough presence")

    registration = models.OneToOneField(
        SessionRegistration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    # Marked by staff (in the room, or seen on camera); None: not marked.
    present = models.BooleanField(_("present"), null=True, blank=True)
    late_minutes = models.PositiveSmallIntegerField(_("minutes late"), default=0)
    left_early_minutes = models.PositiveSmallIntegerField(_("minutes left early"), default=0)
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_in_at = models.DateTimeField(_("scanned in at the door"), null=True, blank=True)
    # Online: one character per minute of the planned time, "1" for a minute the live player
    # reported in (heartbeats), so a beat repeated or sent from two tabs counts once.
    minutes_seen = models.TextField(_("minutes online"), blank=True, default="")
    # Decided when the session closes.
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    minutes_planned = models.PositiveIntegerField(_("minutes planned"), null=True, blank=True)
    minutes_present = models.PositiveIntegerField(_("minutes present"), null=True, blank=True)
    checks_held = models.PositiveSmallIntegerField(_("checks held"), null=True, blank=True)
    checks_answered = models.PositiveSmallIntegerField(_("checks answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")

    def __str__(self) -> str:
        return str(self.registration)

    @property
    def minutes_online(self) -> int:
        return self.minutes_seen.count(MINUTE_SEEN)


class PresenceCheck(models.Model):
    """A prompt shown in the live player that each learner answers within a time limit: are
    you still watching, or a poll question that is not right or wrong."""

    class Kind(models.TextChoices):
        STILL_WATCHING = "still_watching", _("Are you still watching?")
        POLL = "poll", _("Poll question")

    session = models.ForeignKey(
        LiveSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="checks",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    question = models.CharField(_("question"), max_length=200, blank=True)
    options = models.JSONField(_("answers to choose from"), default=list, blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["opens_at", "pk"]
        verbose_name = _("presence check")
        verbose_name_plural = _("presence checks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="live_check_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.question or str(self.get_kind_display())


class PresenceCheckAnswer(models.Model):
    presence_check = models.ForeignKey(
        PresenceCheck,
        verbose_name=_("presence check"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    option = models.PositiveSmallIntegerField(_("answer chosen"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("answer to a presence check")
        verbose_name_plural = _("answers to presence checks")
        constraints = [
            models.UniqueConstraint(
                fields=["presence_check", "user"], name="live_check_answer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.presence_check}"
