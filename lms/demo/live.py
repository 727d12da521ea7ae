"""The demo catalog's webinar and classroom courses get their sessions (the course's start time
as the first, a classroom course a second date a month later), the demo editor may mark
presence and hold presence checks, and the demo nurse has a place at the classroom course."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from catalog.models import CoursePage
from live.models import LiveSession, PresenceRule, SessionRegistration
from live.reference_data import CHECKS_RULE, ROOM_RULE
from live.registration import session_register

from .course_data import COURSES

# How long each kind lasts and how many places a room has, when the course does not say.
MINUTES = {"webinar": 90, "classroom": 240}
CLASSROOM_PLACES = 12
SECOND_DATE_AFTER = timedelta(days=35)
STAFF_EMAIL = "redacteur@leerstroom.localhost"
LEARNER_EMAIL = "verpleegkundige@leerstroom.localhost"


def demo_sessions_seed() -> int:
    """Sessions for the demo courses that have none yet; returns how many were made."""
    rules = {
        "classroom": PresenceRule.objects.get(name=ROOM_RULE),
        "webinar": PresenceRule.objects.get(name=CHECKS_RULE),
    }
    slugs = [spec["slug"] for spec in COURSES if spec.get("format") in MINUTES]
    made = 0
    for course in CoursePage.objects.filter(slug__in=slugs, starts_at__isnull=False):
        if LiveSession.objects.filter(course=course).exists():
            continue
        starts = [course.starts_at]
        if course.format == "classroom":
            starts.append(course.starts_at + SECOND_DATE_AFTER)
        for starts_at in starts:
            LiveSession.objects.create(
                course=course,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=MINUTES[course.format]),
                capacity=CLASSROOM_PLACES if course.format == "classroom" else None,
                cancellation_deadline=starts_at - timedelta(days=2)
                if course.format == "classroom"
                else None,
                rule=rules[course.format],
            )
            made += 1
    _demo_presence_staff()
    _demo_registration()
    return made


def _demo_presence_staff() -> None:
    editor = get_user_model().objects.filter(email=STAFF_EMAIL).first()
    if editor is not None:
        editor.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="live", codename__in=["mark_presence", "moderate_session"]
            )
        )


def _demo_registration() -> None:
    learner = get_user_model().objects.filter(email=LEARNER_EMAIL).first()
    session = LiveSession.objects.filter(course__format="classroom").order_by("starts_at").first()
    if learner is None or session is None:
        return
    if not SessionRegistration.objects.filter(user=learner).exists():
        session_register(session_id=session.pk, user=learner)
