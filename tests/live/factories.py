"""Sessions of classroom and webinar courses for the live tests."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from live.models import LiveSession, PresenceRule
from live.reference_data import CHECKS_RULE, ROOM_RULE, presence_rules_load
from tests.factories import course_publish

FAR = date(2099, 12, 31)


def presence_rule(name: str) -> PresenceRule:
    presence_rules_load(PresenceRule)  # after a flush the migration's rows are gone
    return PresenceRule.objects.get(name=name)


def classroom_course(title: str = "Reanimatietraining op locatie", **fields):
    """A published classroom course in Utrecht (unless told otherwise), 4 points in V&VN."""
    place = {
        "starts_at": timezone.now() + timedelta(days=7),
        "venue": "Zorgacademie Midden-Nederland",
        "address": "Catharijnesingel 10, 3511 GB Utrecht",
        "latitude": Decimal("52.0894"),
        "longitude": Decimal("5.1105"),
    }
    return course_publish(
        title=title, accreditations=[("venvn", 4, FAR)], format="classroom", **(place | fields)
    )


def webinar_course(title: str = "Webinar antibioticaresistentie"):
    return course_publish(
        title=title,
        accreditations=[("venvn", "1.5", FAR)],
        format="webinar",
        starts_at=timezone.now() + timedelta(days=7),
    )


def session_make(
    *,
    course,
    starts_at=None,
    minutes: int = 180,
    capacity: int | None = 2,
    rule: str = ROOM_RULE,
    **fields,
) -> LiveSession:
    starts_at = starts_at or timezone.now() + timedelta(days=7)
    return LiveSession.objects.create(
        course=course,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        capacity=capacity,
        rule=presence_rule(rule),
        **fields,
    )


def webinar_session_make(*, course, starts_at=None, minutes: int = 90) -> LiveSession:
    return session_make(
        course=course, starts_at=starts_at, minutes=minutes, capacity=None, rule=CHECKS_RULE
    )
