"""The learner's deadline calendar: a secret feed address and the events it carries."""

import secrets
from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from lms.ical import AllDayEvent, TimedEvent, ical_calendar

from ..models import CalendarFeed, Registration
from ..profiles.selectors import registrations_with_deadline
from .reminders import reminder_dates

TOKEN_BYTES = 32

# Apps above this one add their events to the feed (live: the sessions a learner registered
# for) by registering a function of the learner's id and today, in their AppConfig.ready.
CalendarEventSource = Callable[[int, date], Iterable[AllDayEvent | TimedEvent]]
_event_sources: list[CalendarEventSource] = []


def calendar_event_source_add(source: CalendarEventSource) -> None:
    if source not in _event_sources:
        _event_sources.append(source)


def calendar_feed_get(*, user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_renew(*, user) -> CalendarFeed:
    """A new secret address for the learner's calendar; the previous one stops working."""
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(TOKEN_BYTES)}
    )
    return feed


def calendar_feed_by_token(*, token: str) -> CalendarFeed | None:
    if not token or len(token) > 64:
        return None
    return CalendarFeed.objects.select_related("user").filter(token=token).first()


def calendar_feed_url(*, feed: CalendarFeed, request=None) -> str:
    path = reverse("accreditation:calendar_feed", kwargs={"token": feed.token})
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _events(registration: Registration, *, on: date, dashboard_url: str) -> list[AllDayEvent]:
    register, deadline = registration.register, registration.period_end
    day = formats.date_format(deadline, "j F Y")
    uid = f"leerstroom-{registration.pk}-{deadline:%Y%m%d}"
    events = [
        AllDayEvent(
            uid=f"{uid}@leerstroom",
            day=deadline,
            summary=_("Deadline %(register)s") % {"register": register.short_name},
            description=_("The deadline of your registration in %(register)s.")
            % {"register": register.name},
            url=dashboard_url,
        )
    ]
    for which, reminder_day in reminder_dates(deadline=deadline):
        if reminder_day < on:
            continue
        events.append(
            AllDayEvent(
                uid=f"{uid}-{which}@leerstroom",
                day=reminder_day,
                summary=_("%(register)s deadline on %(day)s")
                % {"register": register.short_name, "day": day},
                description=_("Check what you still need for %(register)s.")
                % {"register": register.name},
                url=dashboard_url,
            )
        )
    return events


def calendar_feed_ics(*, feed: CalendarFeed) -> str:
    """The feed's calendar: each deadline and the reminder days still to come, and the events
    other apps add (sessions the learner registered for)."""
    on = timezone.localdate()
    dashboard_url = f"{settings.SITE_URL.rstrip('/')}{reverse('accreditation:dashboard')}"
    with translation.override(settings.LANGUAGE_CODE):
        events: list[AllDayEvent | TimedEvent] = [
            event
            for registration in registrations_with_deadline(user=feed.user)
            for event in _events(registration, on=on, dashboard_url=dashboard_url)
        ]
        for source in _event_sources:
            events.extend(source(feed.user_id, on))
        return ical_calendar(name=_("Leerstroom accreditation"), events=events, now=timezone.now())
