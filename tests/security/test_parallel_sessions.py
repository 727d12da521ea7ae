"""Watch credit across parallel playback sessions: however many tabs or devices play the same
episode at once, a learner is credited no faster than real time at the top speed, so opening
six at once cannot earn a certificate in seconds."""

import itertools
import threading
from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections
from django.db.models import F
from django.utils import timezone

from accreditation.models import Certificate, LedgerEntry
from playback.models import CourseCompletion, PlaybackSession, Video, ViewingProgress
from playback.services import heartbeat_buffer
from playback.services.heartbeat_buffer import QUEUE_KEY, heartbeats_flush, session_remember
from playback.services.progress import (
    MAX_SPEED,
    Heartbeat,
    SessionSuperseded,
    heartbeat_record,
    playback_session_start,
)
from tests.conftest import requires_services
from tests.factories import course_publish, learner_with_profile

EPISODE_SECONDS = 60.0
TABS = 6
# In the report, the certificate was issued this long after the first tab started.
ATTACK_SECONDS = 7.4


def _course():
    """Two accredited episodes of a minute each, nothing else required."""
    course = course_publish(
        title="Medicatieveiligheid",
        episodes=["Voorschrijven", "Toedienen"],
        accreditations=[("venvn", 1, date(2099, 12, 31))],
    )
    for episode in course.get_children().specific():
        episode.video = Video.objects.create(
            title=episode.title,
            state=Video.State.READY,
            duration=EPISODE_SECONDS,
            published_generation=1,
        )
        episode.save_revision().publish()
    return course


@pytest.fixture
def course(db):
    return _course()


def _episodes(course):
    return list(course.get_children().specific().order_by("path"))


def _sixth(tab: int) -> list[tuple[float, float]]:
    share = EPISODE_SECONDS / TABS
    return [(tab * share, (tab + 1) * share)]


def _six_tabs_at_once(learner, episode, at):
    return [
        playback_session_start(user=learner, episode_id=episode.pk, now=at) for _tab in range(TABS)
    ]


def _assert_nothing_earned(learner, course):
    for episode in _episodes(course):
        sessions = PlaybackSession.objects.filter(user=learner, episode=episode)
        assert sum(session.credited_seconds for session in sessions) <= MAX_SPEED * ATTACK_SECONDS
        progress = ViewingProgress.objects.get(user=learner, episode=episode)
        assert progress.watched_seconds <= MAX_SPEED * ATTACK_SECONDS
        assert progress.completed_at is None
    assert not CourseCompletion.objects.filter(user=learner).exists()
    assert not LedgerEntry.objects.filter(user=learner).exists()
    assert not Certificate.objects.filter(user=learner).exists()


@pytest.mark.django_db
def test_six_tabs_at_once_earn_no_more_than_one_learner_watching(
    course, django_capture_on_commit_callbacks
):
    learner = learner_with_profile()  # registered with V&VN, which accredits the course
    t0 = timezone.now()
    refused = 0
    with django_capture_on_commit_callbacks(execute=True):
        for episode in _episodes(course):
            for tab, started in enumerate(_six_tabs_at_once(learner, episode, t0)):
                played = _sixth(tab)
                beat = Heartbeat(str(started.session.pk), 1, played[-1][1], played)
                try:
                    heartbeat_record(
                        user=learner, beat=beat, now=t0 + timedelta(seconds=ATTACK_SECONDS)
                    )
                except SessionSuperseded:
                    refused += 1
    assert refused == 2 * (TABS - 1)
    _assert_nothing_earned(learner, course)


@pytest.mark.django_db
def test_watching_for_real_still_completes_the_course_also_when_switching_devices(
    course, django_capture_on_commit_callbacks
):
    learner = learner_with_profile()
    first, second = _episodes(course)
    t0 = timezone.now()

    def watch(session, start: int, end: int, *, started_after: int):
        for seq, at in enumerate(range(start + 10, end + 1, 10), start=1):
            beat = Heartbeat(str(session.pk), seq, at, [(at - 10, at)])
            heartbeat_record(
                user=learner, beat=beat, now=t0 + timedelta(seconds=started_after + at - start)
            )

    with django_capture_on_commit_callbacks(execute=True):
        laptop = playback_session_start(user=learner, episode_id=first.pk, now=t0).session
        watch(laptop, 0, 60, started_after=0)
        # The second episode: half on the laptop, then on to the phone on the train.
        later = t0 + timedelta(seconds=60)
        laptop = playback_session_start(user=learner, episode_id=second.pk, now=later).session
        watch(laptop, 0, 30, started_after=60)
        later = t0 + timedelta(seconds=90)
        phone = playback_session_start(user=learner, episode_id=second.pk, now=later).session
        watch(phone, 30, 60, started_after=90)
    assert CourseCompletion.objects.filter(user=learner, course=course).count() == 1
    assert LedgerEntry.objects.filter(user=learner, course_id=course.pk).count() == 1
    assert Certificate.objects.filter(user=learner, course_id=course.pk).count() == 1


@pytest.fixture
def buffered(settings):
    settings.PLAYBACK_HEARTBEAT_BUFFER = True
    redis = heartbeat_buffer._client()
    redis.delete(QUEUE_KEY, heartbeat_buffer.LOCK_KEY)
    yield redis
    redis.delete(QUEUE_KEY, heartbeat_buffer.LOCK_KEY)


@pytest.mark.django_db
@pytest.mark.skipif(not django_settings.REDIS_URL, reason="the buffer needs Redis (REDIS_URL)")
@pytest.mark.parametrize("buffer_told", [True, False], ids=["buffer-told", "buffer-not-yet-told"])
def test_six_tabs_at_once_through_the_buffer_earn_no_more(
    course, buffered, buffer_told, django_capture_on_commit_callbacks
):
    """Told of each takeover, the buffer refuses the older tabs' beats; not told yet (their
    requests still under way), it queues them and the flusher credits them nothing."""
    learner = learner_with_profile()
    t0 = timezone.now()
    refused = 0
    for episode in _episodes(course):
        tabs = _six_tabs_at_once(learner, episode, t0)
        for started in tabs:  # as each start's request does after its commit
            superseded = started.superseded_ids if buffer_told else ()
            session_remember(started.session, superseded_ids=superseded)
        for tab, started in enumerate(tabs):
            played = _sixth(tab)
            beat = Heartbeat(str(started.session.pk), 1, played[-1][1], played)
            try:
                heartbeat_buffer.heartbeat_buffer(
                    user_id=learner.pk, beat=beat, now=t0 + timedelta(seconds=ATTACK_SECONDS)
                )
            except SessionSuperseded:
                refused += 1
    assert refused == (2 * (TABS - 1) if buffer_told else 0)
    with django_capture_on_commit_callbacks(execute=True):
        heartbeats_flush()
    _assert_nothing_earned(learner, course)


@requires_services
@pytest.mark.django_db(transaction=True)
def test_starts_racing_each_other_and_the_first_beats_leave_one_live_session(migrated_data):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; concurrency is exercised on PostgreSQL")
    episode = _episodes(_course())[0]
    learner = learner_with_profile()
    # A tab already playing, whose first beats (which make the progress row) race the starts.
    playing = playback_session_start(user=learner, episode_id=episode.pk).session
    barrier = threading.Barrier(2 * TABS)
    started, superseded_beats, errors = [], [], []

    def start():
        try:
            barrier.wait(timeout=10)
            started.append(
                str(playback_session_start(user=learner, episode_id=episode.pk).session.pk)
            )
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    def beat(seq: int):
        try:
            barrier.wait(timeout=10)
            heartbeat_record(
                user=learner, beat=Heartbeat(str(playing.pk), seq, seq, [(seq - 1, seq)])
            )
        except SessionSuperseded:
            superseded_beats.append(seq)
        except Exception as error:  # a deadlock or anything else
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _tab in range(TABS)]
    threads += [threading.Thread(target=beat, args=(seq,)) for seq in range(1, TABS + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(started) == TABS
    live = PlaybackSession.objects.filter(user=learner, episode=episode, superseded_at__isnull=True)
    assert live.count() == 1 and str(live.get().pk) in started
    sessions = PlaybackSession.objects.filter(user=learner, episode=episode).order_by(
        "started_at", F("superseded_at").asc(nulls_last=True)
    )
    lifetimes = [(s.started_at, s.superseded_at) for s in sessions]
    for (_start, ended), (following_start, _end) in itertools.pairwise(lifetimes):
        assert ended == following_start  # each one ends where the next begins
