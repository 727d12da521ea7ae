from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineReminder(models.Model):
    """One reminder e-mail about one registration's deadline. The row is claimed before the
    e-mail goes out, so a task that runs twice or is retried never sends the same one twice."""

    class Which(models.TextChoices):
        SIX_MONTHS = "6m", _("6 months before")
        TWELVE_WEEKS = "12w", _("12 weeks before")
        SIX_WEEKS = "6w", _("6 weeks before")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="deadline_reminders",
    )
    registration = models.ForeignKey(
        "accreditation.Registration",
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="deadline_reminders",
    )
    # The deadline as it was when reminded: a moved deadline gets its own reminders.
    deadline = models.DateField(_("deadline"))
    which = models.CharField(_("reminder"), max_length=3, choices=Which.choices)
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "deadline", "which"],
                name="accreditation_deadline_reminder_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration}: {self.deadline} ({self.which})"


class CalendarFeed(models.Model):
    """The secret address of a learner's deadline calendar; a new token revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
