"""Presence beats counted in Redis (decision 16): a warm beat costs no database query, the
minutes reach the attendance rows by the flush (twice changes nothing) and by the close, and a
minute counts once however many tabs report it."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from live import presence_buffer
from live.attendance import session_close
from live.beacon import beat_answer_by_cookie as fast_answer
from live.models import Attendance, PresenceCheck
from live.presence_online import presence_beat, presence_check_answer, presence_check_open
from live.reference_data import ROOM_RULE
from live.registration import session_register
from tests.deployed import wsgi_post
from tests.factories import learner_with_profile

from .factories import session_make, webinar_course, webinar_session_make
from .test_attendance import _at, _awards, _webinar

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not django_settings.REDIS_URL, reason="the buffer needs Redis (REDIS_URL)"),
]


@pytest.fixture(autouse=True)
def buffered(settings):
    settings.LIVE_PRESENCE_BUFFER = True
    redis = presence_buffer._client()
    for key in redis.scan_iter("live:*"):
        redis.delete(key)
    yield redis
    for key in redis.scan_iter("live:*"):
        redis.delete(key)


def _registered(session, count=1):
    learners = [learner_with_profile() for _ in range(count)]
    for learner in learners:
        session_register(
            session_id=session.pk, user=learner, now=session.starts_at - timedelta(hours=1)
        )
    return learners


def _stored_minutes(learner) -> str:
    return Attendance.objects.get(registration__user=learner).minutes_seen


def test_a_warm_beat_costs_no_database_query(django_assert_max_num_queries):
    session = _webinar()
    (learner,) = _registered(session)
    presence_beat(session_id=session.pk, user=learner, now=_at(session, 1.5))  # admitted here
    with django_assert_max_num_queries(0):
        answer = presence_beat(session_id=session.pk, user=learner, now=_at(session, 2.5))
    assert (answer.minutes_online, answer.minutes_planned, answer.check) == (2, 90, None)
    assert _stored_minutes(learner) == ""  # not written until the flush


def test_the_endpoint_costs_at_most_the_signed_in_learner(client, django_assert_max_num_queries):
    session = webinar_session_make(
        course=webinar_course(), starts_at=timezone.now() - timedelta(minutes=5)
    )
    (learner,) = _registered(session)
    client.force_login(learner)
    assert client.post(f"/sessies/{session.pk}/aanwezig/").status_code == 200
    with django_assert_max_num_queries(2):  # the session and the user, nothing for presence
        beat = client.post(f"/sessies/{session.pk}/aanwezig/")
    assert beat.json() == {"minutes_online": 1, "minutes_planned": 90, "check": None}


def test_minutes_survive_the_flush_and_a_second_flush_changes_nothing():
    session = _webinar()
    learner, other = _registered(session, 2)
    for minute in (0.5, 1.5, 1.7, 3.2):
        presence_beat(session_id=session.pk, user=learner, now=_at(session, minute))
    presence_beat(session_id=session.pk, user=other, now=_at(session, 7.1))

    assert presence_buffer.minutes_flush() == 2
    assert _stored_minutes(learner).count("1") == 3
    assert _stored_minutes(learner)[:5] == "11010"
    assert _stored_minutes(other)[7] == "1"
    before = _stored_minutes(learner)
    assert presence_buffer.minutes_flush() == 0
    assert presence_buffer.session_minutes_merge(session) == 0  # every bitmap again: no change
    assert _stored_minutes(learner) == before

    # Counted again after the flush: only the new minute is written, the old ones stay.
    presence_beat(session_id=session.pk, user=learner, now=_at(session, 9.5))
    assert presence_buffer.minutes_flush() == 1
    assert _stored_minutes(learner).count("1") == 4


def test_two_tabs_count_a_minute_once_and_stored_minutes_count_too():
    session = _webinar()
    (learner,) = _registered(session)
    attendance = Attendance.objects.create(
        registration=learner.live_registrations.get(), minutes_seen="11"
    )
    for _tab in range(2):
        answer = presence_beat(session_id=session.pk, user=learner, now=_at(session, 5.2))
    assert answer.minutes_online == 3  # two stored before Redis, and this one
    presence_beat(session_id=session.pk, user=learner, now=_at(session, 1.4))  # stored already
    presence_buffer.minutes_flush()
    attendance.refresh_from_db()
    assert attendance.minutes_online == 3 and attendance.minutes_seen[:6] == "110001"


def test_closing_after_beats_decides_on_every_minute_without_a_flush(
    django_capture_on_commit_callbacks,
):
    session = _webinar()
    full, left_early = _registered(session, 2)
    with django_capture_on_commit_callbacks(execute=True):
        check = presence_check_open(
            session_id=session.pk,
            kind=PresenceCheck.Kind.STILL_WATCHING,
            opens_at=_at(session, 20),
            now=_at(session, 0),
        )
    for minute in range(90):
        answer = presence_beat(session_id=session.pk, user=full, now=_at(session, minute + 0.5))
        if minute < 41:
            presence_beat(session_id=session.pk, user=left_early, now=_at(session, minute + 0.5))
        if minute == 20:
            assert answer.check is not None and answer.check.id == check.pk
            with django_capture_on_commit_callbacks(execute=True):
                presence_check_answer(check_id=check.pk, user=full, now=_at(session, 20.6))
            again = presence_beat(session_id=session.pk, user=full, now=_at(session, 20.7))
            assert again.check is None  # answered: not handed over again
    assert Attendance.objects.get(registration__user=full).minutes_online == 0

    session_close(session_id=session.pk, now=_at(session, 95))
    assert _awards(session) == {full.pk: Decimal("1.5")}
    rows = {
        row.registration.user_id: row
        for row in Attendance.objects.filter(registration__session=session).select_related(
            "registration"
        )
    }
    assert (rows[full.pk].minutes_present, rows[full.pk].checks_answered) == (90, 1)
    assert rows[left_early.pk].minutes_present == 41
    assert rows[left_early.pk].outcome == Attendance.Outcome.NOT_MET

    with pytest.raises(ValidationError) as closed:
        presence_beat(session_id=session.pk, user=full, now=_at(session, 89.5))
    assert closed.value.code == "session_closed"


def test_beats_without_a_place_or_in_the_room_are_refused():
    session = _webinar()
    _registered(session)
    with pytest.raises(ValidationError) as refused:
        presence_beat(session_id=session.pk, user=learner_with_profile(), now=_at(session, 3))
    assert refused.value.code == "not_registered"

    room = session_make(course=webinar_course(), rule=ROOM_RULE)
    with pytest.raises(ValidationError) as in_the_room:
        presence_beat(session_id=room.pk, user=learner_with_profile(), now=_at(room, 3))
    assert in_the_room.value.code == "not_online"


def test_beats_with_an_admitted_cookie_skip_django_until_a_check_is_open(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    if not django_settings.SESSION_ENGINE.endswith("cached_db"):
        pytest.skip("the fast path checks the sign-in in the session cache")
    session = webinar_session_make(
        course=webinar_course(), starts_at=timezone.now() - timedelta(minutes=5)
    )
    (learner,) = _registered(session)
    client.force_login(learner)
    key = client.cookies["sessionid"].value
    cookie = f"sessionid={key}"
    assert fast_answer(session_id=session.pk, session_key=key) is None  # not seen yet: Django
    assert client.post(f"/sessies/{session.pk}/aanwezig/").status_code == 200  # admitted

    with django_assert_num_queries(0):
        status, content = wsgi_post(f"/sessies/{session.pk}/aanwezig/", b"", cookie)
    assert status == 200
    assert json.loads(content) == {"minutes_online": 1, "minutes_planned": 90, "check": None}
    assert fast_answer(session_id=session.pk, session_key="unknown0123") is None

    with django_capture_on_commit_callbacks(execute=True):
        check = presence_check_open(session_id=session.pk, kind=PresenceCheck.Kind.STILL_WATCHING)
    assert fast_answer(session_id=session.pk, session_key=key) is None  # a check: Django
    beat = client.post(f"/sessies/{session.pk}/aanwezig/").json()
    assert beat["check"]["id"] == check.pk and beat["check"]["question"] == "Kijk je nog?"

    with django_capture_on_commit_callbacks(execute=True):
        presence_check_answer(check_id=check.pk, user=learner)
    assert json.loads(fast_answer(session_id=session.pk, session_key=key))["check"] is None
    client.logout()  # the Django session is gone: its old cookie no longer passes
    assert fast_answer(session_id=session.pk, session_key=key) is None
