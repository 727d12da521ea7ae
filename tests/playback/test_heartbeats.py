"""Heartbeats: progress learners' players report, which credits only what was really played."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import EpisodePage
from playback.models import PlaybackSession, Video, ViewingProgress
from playback.services import progress as progress_services
from playback.services.progress import (
    Heartbeat,
    SessionSuperseded,
    heartbeat_record,
    playback_session_start,
)
from tests.factories import course_publish, learner_with_profile

pytestmark = pytest.mark.django_db
DURATION = 600.0


@pytest.fixture(scope="module")
def _episode_id(module_rows):
    """An episode with a ready ten-minute video, made once for this module."""

    def create():
        video = Video.objects.create(
            title="College", state=Video.State.READY, duration=DURATION, published_generation=1
        )
        course = course_publish(title="Wondzorg", episodes=["Risico"], completion_percent=90)
        episode = course.get_children().specific().first()
        episode.video = video
        episode.save_revision().publish()
        return episode.pk

    return module_rows(create)


@pytest.fixture
def episode(_episode_id):
    return EpisodePage.objects.get(pk=_episode_id)


@pytest.fixture
def learner(client):
    user = learner_with_profile()
    client.force_login(user)
    return user


def _start(client, episode, seconds_ago: float = 0) -> str:
    response = client.post(
        "/stream/afspelen/sessies/", json.dumps({"episode": episode.pk}), "application/json"
    )
    assert response.status_code == 201, response.content
    session_id = response.json()["session"]
    PlaybackSession.objects.filter(pk=session_id).update(
        started_at=timezone.now() - timedelta(seconds=seconds_ago)
    )
    return session_id


def _beat(client, session_id, seq, position, ranges):
    return client.post(
        "/stream/afspelen/voortgang/",
        json.dumps({"session": session_id, "seq": seq, "position": position, "ranges": ranges}),
        "application/json",
    )


def _progress(learner, episode) -> ViewingProgress:
    return ViewingProgress.objects.get(user=learner, episode=episode)


def test_honest_beats_credit_what_was_played(client, learner, episode):
    session = _start(client, episode, seconds_ago=25)
    assert _beat(client, session, 1, 10, [[0, 10]]).status_code == 204
    assert _beat(client, session, 2, 20, [[10, 20]]).status_code == 204
    progress = _progress(learner, episode)
    assert progress.watched_seconds == 20 and progress.position == 20
    assert progress.watched_ranges == [[0.0, 20.0]]


def test_replayed_and_late_beats_change_nothing(client, learner, episode):
    session = _start(client, episode, seconds_ago=60)
    _beat(client, session, 2, 20, [[0, 20]])
    for seq in (2, 1):  # the same beat again, and an older one arriving late
        assert _beat(client, session, seq, 55, [[20, 55]]).status_code == 204
    assert _progress(learner, episode).watched_seconds == 20


def test_a_forged_jump_credits_no_more_than_twice_the_wall_clock_time(client, learner, episode):
    session = _start(client, episode, seconds_ago=5)
    _beat(client, session, 1, DURATION, [[0, DURATION]])
    progress = _progress(learner, episode)
    assert progress.watched_seconds <= 2 * 5 + 1  # 5 s of wall clock at double speed
    assert progress.completed_at is None


def test_positions_and_ranges_past_the_end_are_clamped(client, learner, episode):
    session = _start(client, episode, seconds_ago=10_000)
    _beat(client, session, 1, 99_999, [[590, 10_000], [-50, 5]])
    progress = _progress(learner, episode)
    assert progress.position == DURATION
    assert progress.watched_ranges == [[0.0, 5.0], [590.0, 600.0]]


def test_completion_is_reported_once(
    client, learner, episode, django_capture_on_commit_callbacks, monkeypatch
):
    reports = []
    # The one channel out of a completed episode: whether it completes the course.
    monkeypatch.setattr(
        progress_services, "course_completion_check", lambda **kwargs: reports.append(kwargs)
    )
    session = _start(client, episode, seconds_ago=DURATION)
    with django_capture_on_commit_callbacks(execute=True):
        _beat(client, session, 1, 300, [[0, 300]])
        _beat(client, session, 2, 530, [[300, 530]])
    assert reports == []  # 530 of 600 s is under 90 %
    with django_capture_on_commit_callbacks(execute=True):
        _beat(client, session, 3, 545, [[530, 545]])  # 545 s: 90.8 %
        _beat(client, session, 4, 600, [[0, 600]])
        again = _start(client, episode, seconds_ago=DURATION)
        _beat(client, again, 1, 600, [[0, 600]])
    assert reports == [{"user_id": learner.pk, "course_id": episode.get_parent().pk}]
    assert _progress(learner, episode).completed_at is not None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("not json", "geen geldige JSON"),
        ("[1, 2]", "JSON-object"),
        ('{"seq": 1, "position": 0}', "afspeelsessie ontbreekt"),
        ('{"session": "x", "seq": 0, "position": 0}', "volgnummer"),
        ('{"session": "x", "seq": true, "position": 0}', "volgnummer"),
        ('{"session": "x", "seq": 1, "position": "1e999"}', "positie"),
        ('{"session": "x", "seq": 1, "position": NaN}', "positie"),
        ('{"session": "x", "seq": 1, "position": 1, "ranges": [[5, 1]]}', "[begin, eind]"),
        ('{"session": "x", "seq": 1, "position": 1, "ranges": "0-10"}', "hoogstens 50"),
    ],
)
def test_malformed_beats_get_400_with_a_reason(client, learner, episode, body, reason):
    response = client.post("/stream/afspelen/voortgang/", body, "application/json")
    assert response.status_code == 400
    assert reason in response.json()["reason"]


def test_sessions_of_others_and_unknown_sessions_are_404(client, learner, episode):
    session = _start(client, episode, seconds_ago=30)
    client.force_login(learner_with_profile())
    assert _beat(client, session, 1, 10, [[0, 10]]).status_code == 404
    assert _beat(client, "not-a-uuid", 1, 10, [[0, 10]]).status_code == 404
    assert _beat(client, "7f7e2f9e-0000-4000-8000-000000000000", 1, 1, []).status_code == 404
    assert not ViewingProgress.objects.exists()
    client.logout()
    assert _beat(client, session, 1, 10, [[0, 10]]).status_code == 403


def test_an_episode_without_a_ready_video_cannot_be_played(client, learner, episode):
    Video.objects.update(published_generation=None)
    response = client.post(
        "/stream/afspelen/sessies/", json.dumps({"episode": episode.pk}), "application/json"
    )
    assert response.status_code == 404
    assert client.post("/stream/afspelen/sessies/", "{}", "application/json").status_code == 400


# --- One live session per learner and episode --------------------------------------------------


def _live(learner, episode) -> list[str]:
    sessions = PlaybackSession.objects.filter(
        user=learner, episode=episode, superseded_at__isnull=True
    )
    return [str(pk) for pk in sessions.values_list("pk", flat=True)]


def test_a_superseded_session_is_refused_with_409_and_the_newest_keeps_crediting(
    client, learner, episode
):
    first = _start(client, episode, seconds_ago=120)
    assert _beat(client, first, 1, 30, [[0, 30]]).status_code == 204
    second = _start(client, episode, seconds_ago=60)  # the same episode in another tab
    refused = _beat(client, first, 2, 90, [[30, 90]])
    assert refused.status_code == 409
    assert refused.json() == {
        "reason": "Je kijkt nu op een ander scherm of tabblad verder.",
        "superseded": True,
    }
    assert _beat(client, second, 1, 60, [[30, 60]]).status_code == 204
    progress = _progress(learner, episode)
    assert progress.watched_ranges == [[0.0, 60.0]] and progress.position == 60
    assert PlaybackSession.objects.get(pk=first).last_seq == 1  # the refused beat left no mark
    assert _live(learner, episode) == [second]


def test_beats_before_the_takeover_count_and_beats_after_it_do_not(learner, episode):
    t0 = timezone.now()
    first = playback_session_start(user=learner, episode_id=episode.pk, now=t0).session

    def beat(session, seq, ranges, at):
        position = ranges[-1][1]
        beat = Heartbeat(str(session.pk), seq, position, ranges)
        return heartbeat_record(user=learner, beat=beat, now=t0 + timedelta(seconds=at))

    assert beat(first, 1, [(0, 20)], at=20).credited_seconds == 20
    takeover = t0 + timedelta(seconds=30)
    second = playback_session_start(user=learner, episode_id=episode.pk, now=takeover).session
    # Received before the takeover (say, processed late): it counts, within its own cap.
    assert beat(first, 2, [(20, 30)], at=25).credited_seconds == 10
    with pytest.raises(SessionSuperseded):
        beat(first, 3, [(30, 100)], at=31)
    assert beat(second, 1, [(30, 90)], at=40).credited_seconds == 20  # 10 s at double speed
    progress = _progress(learner, episode)
    assert progress.watched_ranges == [[0.0, 50.0]] and progress.position == 90
    sessions = PlaybackSession.objects.filter(user=learner, episode=episode)
    assert sum(s.credited_seconds for s in sessions) <= 2 * 40


def test_sessions_started_at_once_leave_one_live_session(client, learner, episode):
    other_course = course_publish(title="Decubitus", episodes=["Preventie"])
    other_episode = other_course.get_children().specific().first()
    other_episode.video = episode.video
    other_episode.save_revision().publish()
    elsewhere = _start(client, other_episode)
    someone_else = learner_with_profile()
    theirs = playback_session_start(user=someone_else, episode_id=episode.pk).session

    started = [_start(client, episode) for _tab in range(6)]
    assert _live(learner, episode) == [started[-1]]
    assert _live(learner, other_episode) == [elsewhere]  # another episode: its own session
    assert _live(someone_else, episode) == [str(theirs.pk)]  # another learner: untouched
    for session in started[:-1]:
        assert _beat(client, session, 1, 1, [[0, 1]]).status_code == 409


def test_a_new_session_never_starts_before_the_one_it_supersedes(learner, episode):
    t0 = timezone.now()
    first = playback_session_start(user=learner, episode_id=episode.pk, now=t0).session
    # A start whose clock runs behind (another server) still begins where the first ended.
    second = playback_session_start(
        user=learner, episode_id=episode.pk, now=t0 - timedelta(seconds=5)
    ).session
    first.refresh_from_db()
    assert first.superseded_at == second.started_at == t0
