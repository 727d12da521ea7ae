"""Deadline reminder e-mails, at the moments the BIG register itself writes: about 6 months,
12 weeks and 6 weeks before the deadline (accreditation.md, section 2)."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ..models import DeadlineReminder, Registration
from ..standing.evaluations import register_evaluations

logger = logging.getLogger(__name__)

Which = DeadlineReminder.Which

# How long before a deadline each reminder is due, widest first.
REMINDER_LEADS: tuple[tuple[str, timedelta], ...] = (
    (Which.SIX_MONTHS, timedelta(days=182)),
    (Which.TWELVE_WEEKS, timedelta(weeks=12)),
    (Which.SIX_WEEKS, timedelta(weeks=6)),
)
EMAIL_TEMPLATE = "accreditation/email/deadline_reminder"


def reminder_dates(*, deadline: date) -> list[tuple[str, date]]:
    """The day each reminder about a deadline becomes due."""
    return [(which, deadline - lead) for which, lead in REMINDER_LEADS]


def reminder_due(*, deadline: date, on: date) -> str | None:
    """The reminder whose window a day falls in: the narrowest one that has opened. A learner
    who enters a deadline five weeks away gets the last reminder only, not all three."""
    if on >= deadline:
        return None
    opened = [(lead, which) for which, lead in REMINDER_LEADS if deadline - lead <= on]
    return min(opened)[1] if opened else None


def _registrations_in_a_window(*, on: date):
    widest = max(lead for _which, lead in REMINDER_LEADS)
    return (
        Registration.objects.filter(
            period_end__gt=on, period_end__lte=on + widest, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("register", "user")
        .order_by("pk")
    )


def _reminder_message(*, registration: Registration, which: str, on: date):
    user = registration.user
    evaluation = next(
        (
            e
            for e in register_evaluations(user_id=user.pk, on=on)
            if e.register_id == registration.register_id
        ),
        None,
    )
    context = {
        "user": user,
        "register": registration.register,
        "deadline": registration.period_end,
        "days_left": (registration.period_end - on).days,
        "weeks_left": (registration.period_end - on).days // 7,
        "which": Which(which).label,
        "evaluation": evaluation,
        "dashboard_url": f"{settings.SITE_URL.rstrip('/')}{reverse('accreditation:dashboard')}",
    }
    # Reminders are Dutch, like the registers they are about, whatever language was last used.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{EMAIL_TEMPLATE}_subject.txt", context)
        text = render_to_string(f"{EMAIL_TEMPLATE}.txt", context)
        html = render_to_string(f"{EMAIL_TEMPLATE}.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def deadline_reminder_send(*, registration: Registration, which: str, on: date) -> bool:
    """Send one reminder unless it was sent before; True when it was sent now.

    The row is claimed (committed) before sending: a retry after a crash finds it and sends
    nothing, so a learner gets at most one e-mail per reminder. A failed send gives the claim
    back, so the next run tries again."""
    reminder, claimed = DeadlineReminder.objects.get_or_create(
        registration=registration,
        deadline=registration.period_end,
        which=which,
        defaults={"user_id": registration.user_id},
    )
    if not claimed:
        return False
    try:
        _reminder_message(registration=registration, which=which, on=on).send()
    except Exception:
        reminder.delete()
        raise
    DeadlineReminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())
    return True


def deadline_reminders_send(*, on: date) -> int:
    """Send every reminder that is due on a day and not yet sent; returns how many went out."""
    sent = 0
    for registration in _registrations_in_a_window(on=on).iterator(chunk_size=500):
        which = reminder_due(deadline=registration.period_end, on=on)
        if which is None:
            continue
        try:
            sent += deadline_reminder_send(registration=registration, which=which, on=on)
        except Exception:
            # One unreachable address must not hold up everyone else's reminder.
            logger.exception("Deadline reminder for registration %s failed", registration.pk)
    return sent
