"""Heartbeats buffered in Redis and flushed to the database in batches."""

import json
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from playback.models import PlaybackSession, ViewingProgress
from playback.services import heartbeat_buffer
from playback.services import progress as progress_services
from playback.services.heartbeat_buffer import QUEUE_KEY, buffer_pending, heartbeats_flush
from playback.services.progress import Heartbeat, heartbeat_record, playback_session_start
from tests.deployed import wsgi_post
from tests.factories import learner_with_profile
from tests.playback.test_heartbeats import (
    DURATION,
    _beat,
    _episode_id,
    _progress,
    _start,
    episode,
    learner,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not django_settings.REDIS_URL, reason="the buffer needs Redis (REDIS_URL)"),
]
__all__ = ["_episode_id", "episode", "learner"]  # fixtures shared with the direct-path tests


@pytest.fixture(autouse=True)
def buffered(settings):
    settings.PLAYBACK_HEARTBEAT_BUFFER = True
    redis = heartbeat_buffer._client()
    redis.delete(QUEUE_KEY, heartbeat_buffer.LOCK_KEY)
    yield redis
    redis.delete(QUEUE_KEY, heartbeat_buffer.LOCK_KEY)


def test_beats_wait_in_redis_until_the_flush(client, learner, episode):
    session = _start(client, episode, seconds_ago=40)
    for seq, (start, end) in enumerate([(0, 10), (10, 20), (20, 30)], start=1):
        assert _beat(client, session, seq, end, [[start, end]]).status_code == 204
    assert buffer_pending() == 3
    assert not ViewingProgress.objects.exists()

    assert heartbeats_flush() == 3
    progress = _progress(learner, episode)
    assert progress.watched_ranges == [[0.0, 30.0]] and progress.position == 30
    assert PlaybackSession.objects.get(pk=session).last_seq == 3
    assert buffer_pending() == 0


def test_replays_are_dropped_before_they_reach_the_queue(client, learner, episode):
    session = _start(client, episode, seconds_ago=60)
    _beat(client, session, 2, 20, [[0, 20]])
    for seq in (2, 1):
        assert _beat(client, session, seq, 55, [[20, 55]]).status_code == 204
    assert buffer_pending() == 1
    heartbeats_flush()
    assert _progress(learner, episode).watched_seconds == 20


def test_the_wall_clock_cap_uses_the_time_a_beat_arrived_not_the_flush(
    client, learner, episode, buffered
):
    session = _start(client, episode, seconds_ago=5)
    _beat(client, session, 1, DURATION, [[0, DURATION]])
    # The flusher runs long after; the beat still had only 5 s of wall clock behind it.
    PlaybackSession.objects.filter(pk=session).update(
        started_at=timezone.now() - timedelta(seconds=5)
    )
    heartbeats_flush()
    progress = _progress(learner, episode)
    assert progress.watched_seconds <= 2 * 5 + 1
    assert progress.completed_at is None


def test_a_batch_taken_twice_after_a_crash_counts_once(client, learner, episode, buffered):
    session = _start(client, episode, seconds_ago=60)
    _beat(client, session, 1, 30, [[0, 30]])
    original_ltrim = buffered.ltrim

    def crash(*args, **kwargs):
        raise ConnectionError("flusher lost Redis after writing the batch")

    buffered.ltrim = crash
    try:
        with pytest.raises(ConnectionError):
            heartbeats_flush()
    finally:
        buffered.ltrim = original_ltrim
    assert buffer_pending() == 1  # still queued
    assert heartbeats_flush() == 1
    progress = _progress(learner, episode)
    assert progress.watched_seconds == 30
    assert PlaybackSession.objects.get(pk=session).credited_seconds == 30


def test_a_late_flush_never_moves_the_position_back(client, learner, episode):
    session = _start(client, episode, seconds_ago=600)
    _beat(client, session, 1, 100, [[90, 100]])  # buffered, arrives first
    other_device = PlaybackSession.objects.create(
        user=learner,
        episode=episode,
        course_id=PlaybackSession.objects.get(pk=session).course_id,
        duration=DURATION,
        completion_share=0.9,
        started_at=timezone.now() - timedelta(seconds=600),
    )
    later = timezone.now() + timedelta(seconds=5)
    heartbeat_record(
        user=learner, beat=Heartbeat(str(other_device.pk), 1, 300, [(290, 300)]), now=later
    )
    heartbeats_flush()
    progress = _progress(learner, episode)
    assert progress.position == 300
    assert progress.watched_ranges == [[90.0, 100.0], [290.0, 300.0]]


def test_completion_through_the_buffer_is_announced_once(
    client, learner, episode, django_capture_on_commit_callbacks, monkeypatch
):
    reports = []
    # The one channel out of a completed episode: whether it completes the course.
    monkeypatch.setattr(
        progress_services, "course_completion_check", lambda **kwargs: reports.append(kwargs)
    )
    session = _start(client, episode, seconds_ago=DURATION)
    _beat(client, session, 1, 300, [[0, 300]])
    _beat(client, session, 2, 600, [[300, 600]])
    _beat(client, session, 3, 600, [[0, 600]])
    with django_capture_on_commit_callbacks(execute=True):
        heartbeats_flush()
        heartbeats_flush()
    assert reports == [{"user_id": learner.pk, "course_id": episode.get_parent().pk}]


def test_someone_elses_session_is_404_and_queues_nothing(client, learner, episode):
    session = _start(client, episode, seconds_ago=30)
    client.force_login(learner_with_profile())
    assert _beat(client, session, 1, 10, [[0, 10]]).status_code == 404
    assert _beat(client, "not-a-uuid", 1, 10, [[0, 10]]).status_code == 404
    assert buffer_pending() == 0


def test_a_session_the_buffer_has_not_seen_is_checked_in_the_database(
    client, learner, episode, buffered
):
    session = _start(client, episode, seconds_ago=30)
    PlaybackSession.objects.filter(pk=session).update(last_seq=4)
    buffered.delete(heartbeat_buffer.SESSION_KEY.format(session))
    assert _beat(client, session, 3, 10, [[0, 10]]).status_code == 204  # old: dropped
    assert _beat(client, session, 5, 10, [[0, 10]]).status_code == 204
    assert [json.loads(item)[1] for item in buffered.lrange(QUEUE_KEY, 0, -1)] == [5]


def _wsgi_post(body: bytes, cookie: str = ""):
    """A heartbeat through the deployed WSGI application, fast path and all."""
    return wsgi_post("/stream/afspelen/voortgang/", body, cookie)


def _beat_body(session, seq, position, ranges) -> bytes:
    return json.dumps(
        {"session": session, "seq": seq, "position": position, "ranges": ranges}
    ).encode()


def test_a_beat_with_the_session_cookie_is_queued_without_django_or_the_database(
    client, learner, episode, django_assert_num_queries
):
    session = _start(client, episode, seconds_ago=60)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    with django_assert_num_queries(0):
        status, _content = _wsgi_post(_beat_body(session, 1, 10, [[0, 10]]), cookie)
    assert status == 204 and buffer_pending() == 1
    heartbeats_flush()
    assert _progress(learner, episode).watched_seconds == 10


def test_anything_the_fast_path_cannot_vouch_for_goes_to_django(client, learner, episode):
    session = _start(client, episode, seconds_ago=60)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    status, content = _wsgi_post(b'{"session": "x", "seq": 0}', cookie)
    assert status == 400 and "volgnummer" in json.loads(content)["reason"]
    status, _content = _wsgi_post(_beat_body(session, 1, 10, [[0, 10]]), "sessionid=forged0123")
    assert status == 403  # no such session: signed out
    client.logout()  # the Django session is gone; its old cookie no longer passes
    status, _content = _wsgi_post(_beat_body(session, 1, 10, [[0, 10]]), cookie)
    assert status == 403
    assert buffer_pending() == 0


def test_a_superseded_session_is_refused_before_the_queue_and_by_the_fast_path(
    client, learner, episode
):
    first = _start(client, episode, seconds_ago=120)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    assert _beat(client, first, 1, 30, [[0, 30]]).status_code == 204  # queued before
    second = _start(client, episode, seconds_ago=60)  # the same episode in another tab
    refused = _beat(client, first, 2, 60, [[30, 60]])
    assert refused.status_code == 409
    assert "ander scherm of tabblad" in refused.json()["reason"]
    status, content = _wsgi_post(_beat_body(first, 3, 90, [[60, 90]]), cookie)
    assert status == 409 and json.loads(content)["superseded"] is True
    assert _beat(client, second, 1, 60, [[30, 60]]).status_code == 204
    assert buffer_pending() == 2

    heartbeats_flush()
    progress = _progress(learner, episode)
    assert progress.watched_ranges == [[0.0, 60.0]] and progress.position == 60
    assert PlaybackSession.objects.get(pk=first).credited_seconds == 30


def test_a_beat_queued_before_the_buffer_heard_of_the_takeover_credits_nothing(
    client, learner, episode
):
    first = _start(client, episode, seconds_ago=120)
    # Another tab's start has committed, and its request has not yet marked the first session.
    playback_session_start(user=learner, episode_id=episode.pk)
    assert _beat(client, first, 1, 60, [[0, 60]]).status_code == 204
    assert buffer_pending() == 1
    heartbeats_flush()
    assert PlaybackSession.objects.get(pk=first).credited_seconds == 0
    assert not ViewingProgress.objects.filter(watched_seconds__gt=0).exists()
