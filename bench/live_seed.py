"""Seeding for the live benchmark: a webinar course with a session that started a minute ago,
its stream key, and every benchmark learner registered with a place."""

from datetime import timedelta

REDIS_CACHE = "redis://127.0.0.1:6379/11"
REDIS_BROKER = "redis://127.0.0.1:6379/10"
COURSE_SLUG = "webinar-live-sepsis"
SESSION_MINUTES = 120


def webinar_seed(learners: list):
    """The session (online, with presence checks) and its stream key; returns (session, key).
    Earlier runs' sessions go, with their registrations and stream."""
    from django.utils import timezone

    from catalog.models import CoursePage, HomePage
    from live.models import LiveSession, PresenceRule, SessionRegistration
    from live.reference_data import CHECKS_RULE, presence_rules_load
    from live.streaming.keys import stream_key_issue

    course = CoursePage.objects.filter(slug=COURSE_SLUG).first()
    if course is None:
        home = HomePage.objects.get()
        course = CoursePage(
            title="Live webinar: sepsis herkennen",
            slug=COURSE_SLUG,
            format="webinar",
            starts_at=timezone.now(),
        )
        home.add_child(instance=course)
        course.save_revision().publish()
    LiveSession.objects.filter(course_id=course.pk).delete()
    presence_rules_load(PresenceRule)
    starts = timezone.now() - timedelta(minutes=1)
    session = LiveSession.objects.create(
        course_id=course.pk,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=SESSION_MINUTES),
        capacity=None,
        rule=PresenceRule.objects.get(name=CHECKS_RULE),
    )
    SessionRegistration.objects.bulk_create(
        [
            SessionRegistration(
                session=session,
                user=learner,
                status=SessionRegistration.Status.REGISTERED,
                queued_at=starts - timedelta(days=1),
                seat_since=starts - timedelta(days=1),
            )
            for learner in learners
        ],
        batch_size=5000,
    )
    issued = stream_key_issue(session=session)
    return session, issued


def redis_reset() -> None:
    import redis

    for url in (REDIS_CACHE, REDIS_BROKER):
        redis.Redis.from_url(url).flushdb()
