"""The reminder the day before a session, to each learner with a place: sent once, however
often the hourly task runs (the registration is claimed before the e-mail goes out)."""

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from .invitations import registration_message
from .models import SessionRegistration

logger = logging.getLogger(__name__)

REMINDER_LEAD = timedelta(hours=24)
# A learner who registered this recently just had the confirmation: no reminder on top.
JUST_REGISTERED = timedelta(hours=6)
REMINDER = "reminder"


def session_reminder_send(*, registration: SessionRegistration, now: datetime) -> bool:
    claimed = SessionRegistration.objects.filter(
        pk=registration.pk, reminder_sent_at__isnull=True
    ).update(reminder_sent_at=now)
    if not claimed:
        return False
    try:
        registration_message(registration, mail=REMINDER).send()
    except Exception:
        SessionRegistration.objects.filter(pk=registration.pk).update(reminder_sent_at=None)
        raise
    return True


def session_reminders_send(*, now: datetime | None = None) -> int:
    """Remind everyone with a place at a session that starts within a day; returns how many
    e-mails went out."""
    now = now or timezone.now()
    due = (
        SessionRegistration.objects.filter(
            status=SessionRegistration.Status.REGISTERED,
            reminder_sent_at__isnull=True,
            session__starts_at__gt=now,
            session__starts_at__lte=now + REMINDER_LEAD,
            seat_since__lte=now - JUST_REGISTERED,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("session", "user")
        .order_by("pk")
    )
    sent = 0
    for registration in due.iterator(chunk_size=500):
        try:
            sent += session_reminder_send(registration=registration, now=now)
        except Exception:
            # One unreachable address must not hold up everyone else's reminder.
            logger.exception("Session reminder for registration %s failed", registration.pk)
    return sent
