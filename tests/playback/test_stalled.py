"""Never stuck: work whose lease ran out is taken over or failed with a reason, whatever its state;
database errors that pass are retried; editors see since when a video stalled and may restart it."""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.db import InterfaceError, OperationalError, connection
from django.urls import reverse
from django.utils import timezone, translation

from lms.celery import app as celery_app
from playback import tasks
from playback.models import TranscodePart, Video
from playback.services import pipeline
from playback.services.leases import LeaseLost, LeaseRenewer, lease_take
from playback.services.pipeline import video_process
from playback.services.stalls import video_stalled_since
from playback.services.states import (
    video_mark_ready,
    video_requeue_stalled,
    video_start_probing,
    video_start_transcoding,
)
from playback.tasks import video_process_task, videos_requeue_stalled_task
from tests.factories import UserFactory

from .conftest import video_with_source

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _lapsed() -> datetime:
    """A lease that ran out longer ago than the sweep's grace."""
    return timezone.now() - timedelta(seconds=django_settings.PLAYBACK_STALLED_GRACE_SECONDS + 30)


def _stalled(state: str, *, attempts: int = 1, **fields) -> Video:
    fields = {"lease_expires_at": _lapsed(), "progress": 47} | fields
    return Video.objects.create(title="Reanimatie", state=state, attempts=attempts, **fields)


@pytest.fixture
def jobs(monkeypatch):
    """The video jobs that ran, with the state each found its video in; the work itself is
    left out, as the sweep only has to hand the video to a job."""
    ran = []

    def process(*, video):
        video.refresh_from_db()
        ran.append((video.pk, video.state))
        return video

    monkeypatch.setattr(tasks, "video_process", process)
    return ran


@pytest.fixture
def part_jobs(monkeypatch):
    ran = []
    monkeypatch.setattr(tasks, "part_process", lambda *, part: ran.append(part.pk))
    return ran


def _sweep(django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return videos_requeue_stalled_task.delay().get()


# --- The sweep -----------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["uploaded", "probing", "transcoding"])
def test_a_video_whose_lease_ran_out_is_queued_again_whatever_its_state(
    state, jobs, django_capture_on_commit_callbacks
):
    video = _stalled(state)
    assert _sweep(django_capture_on_commit_callbacks) == 1
    # Back in the queue through the guarded transition; the job that takes it starts over.
    assert jobs == [(video.pk, "uploaded")]
    video.refresh_from_db()
    assert video.lease_expires_at is None and video.queued_at is not None
    assert video.progress == 0


def test_a_video_that_stalled_on_its_last_attempt_fails_and_says_why(
    jobs, django_capture_on_commit_callbacks
):
    video = _stalled("transcoding", attempts=django_settings.PLAYBACK_MAX_ATTEMPTS)
    assert _sweep(django_capture_on_commit_callbacks) == 1
    assert jobs == []
    video.refresh_from_db()
    assert video.state == Video.State.FAILED and video.reason_code == "stalled"
    with translation.override("nl"):
        assert video.reason == (
            "De verwerking is 3 keer blijven steken zonder af te ronden (de verwerker reageerde "
            "niet meer); het bestand is apart gezet."
        )


def test_work_under_a_live_lease_within_the_grace_or_waiting_in_the_queue_is_left_alone(
    jobs, django_capture_on_commit_callbacks
):
    now = timezone.now()
    working = _stalled("transcoding", lease_expires_at=now + timedelta(seconds=30))
    just_lapsed = _stalled("transcoding", lease_expires_at=now - timedelta(seconds=5))
    queued = _stalled("uploaded", lease_expires_at=None, queued_at=now)
    assert _sweep(django_capture_on_commit_callbacks) == 0
    assert jobs == []
    states = dict(Video.objects.values_list("pk", "state"))
    assert states == {
        working.pk: "transcoding",
        just_lapsed.pk: "transcoding",
        queued.pk: "uploaded",
    }
    # Editors already see it stalled; the sweep waits for the grace before taking it over.
    assert video_stalled_since(video=just_lapsed) == just_lapsed.lease_expires_at
    assert video_stalled_since(video=working) is None
    assert video_stalled_since(video=queued) is None


def test_a_transcoding_video_nobody_ever_held_is_taken_over(
    jobs, django_capture_on_commit_callbacks
):
    """As left behind before leases were kept after a failure: transcoding, and no lease."""
    video = _stalled("transcoding", lease_expires_at=None)
    Video.objects.filter(pk=video.pk).update(updated_at=_lapsed())
    assert _sweep(django_capture_on_commit_callbacks) == 1
    assert jobs == [(video.pk, "uploaded")]


def _long_video(*, lapsed_part_attempts: int = 1, pending: bool = True):
    video = _stalled("transcoding", lease_expires_at=None, duration=180)

    def part(index, **fields):
        return TranscodePart.objects.create(
            video=video, generation=1, kind="video", index=index, start=60 * index,
            duration=60, source_key=f"chunk_{index}.mkv", **fields,
        )  # fmt: skip

    done = part(0, done=True)
    lapsed = part(1, lease_expires_at=_lapsed(), attempts=lapsed_part_attempts, done=not pending)
    waiting = part(2, done=not pending)
    return video, done, lapsed, waiting


def test_a_long_videos_part_whose_lease_ran_out_is_queued_again_and_nothing_else(
    jobs, part_jobs, django_capture_on_commit_callbacks
):
    video, _done, lapsed, _waiting = _long_video()
    assert video_stalled_since(video=video) == lapsed.lease_expires_at
    assert _sweep(django_capture_on_commit_callbacks) == 1
    assert part_jobs == [lapsed.pk]
    assert jobs == []
    lapsed.refresh_from_db()
    video.refresh_from_db()
    assert lapsed.lease_expires_at is None and not lapsed.done
    assert video.state == Video.State.TRANSCODING  # the encoded parts are kept


def test_a_part_that_stalled_on_its_last_attempt_fails_its_video(
    part_jobs, django_capture_on_commit_callbacks
):
    attempts = django_settings.PLAYBACK_MAX_ATTEMPTS
    video, *_parts = _long_video(lapsed_part_attempts=attempts)
    _sweep(django_capture_on_commit_callbacks)
    assert part_jobs == []
    video.refresh_from_db()
    assert video.state == Video.State.FAILED and video.reason_code == "stalled"
    assert video.reason_params == {"attempts": attempts}


def test_a_long_video_encoded_but_never_finished_is_finished_by_a_new_job(
    jobs, django_capture_on_commit_callbacks
):
    video, *_parts = _long_video(pending=False)
    Video.objects.filter(pk=video.pk).update(lease_expires_at=_lapsed())
    assert _sweep(django_capture_on_commit_callbacks) == 1
    assert jobs == [(video.pk, "transcoding")]
    video.refresh_from_db()
    assert video.attempts == 2


# --- Leases and database errors ------------------------------------------------------------


def test_a_worker_whose_lease_ran_out_and_was_taken_over_stops():
    video = _stalled("transcoding", lease_expires_at=None)
    renew = LeaseRenewer(video, lease_take(video))
    renew.last -= renew.interval
    renew()  # renewed while it is ours
    # The worker hangs past its lease, and the sweep hands the video to another job.
    Video.objects.filter(pk=video.pk).update(lease_expires_at=_lapsed())
    video_requeue_stalled(video=video, before=timezone.now())
    renew.last -= renew.interval
    with pytest.raises(LeaseLost):
        renew()
    # Another worker taking an expired lease over stops the first one the same way.
    second = LeaseRenewer(video, lease_take(video))
    Video.objects.filter(pk=video.pk).update(lease_expires_at=_lapsed())
    assert lease_take(video)
    second.last -= second.interval
    with pytest.raises(LeaseLost):
        second()


def test_a_job_stopped_by_an_error_leaves_its_video_free_and_stalled_from_that_moment(
    clips, monkeypatch
):
    video = video_with_source(data=clips["small"].read_bytes())

    def probe_while_locked(path):
        raise OperationalError("database is locked")

    monkeypatch.setattr(pipeline, "source_probe", probe_while_locked)
    before = timezone.now()
    with pytest.raises(OperationalError):
        video_process(video=video)
    video.refresh_from_db()
    assert video.state == Video.State.PROBING
    assert before <= video.lease_expires_at <= timezone.now()
    assert video_stalled_since(video=video) == video.lease_expires_at
    assert lease_take(video)  # the next try need not wait for the lease to run out


@pytest.fixture
def retried_inline():
    """Retries run at once, in this process, as a worker would run them after the countdown."""
    propagates = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = propagates


def _working_after(errors: int, error: Exception, calls: list):
    """A job that meets ``error`` the first ``errors`` times, then moves the video to ready."""

    def process(*, video):
        calls.append(video.pk)
        if len(calls) <= errors:
            raise error
        video = video_start_probing(video=video)
        video = video_start_transcoding(video=video, probe={}, duration=8.0)
        return video_mark_ready(video=video)

    return process


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("database is locked"),
        OperationalError("deadlock detected"),
        InterfaceError("connection already closed"),
    ],
    ids=["sqlite-locked", "postgresql-deadlock", "connection-dropped"],
)
def test_a_database_error_that_passes_is_retried_and_the_video_ends_ready(
    error, monkeypatch, retried_inline
):
    video = Video.objects.create(title="Reanimatie")
    calls = []
    monkeypatch.setattr(tasks, "video_process", _working_after(2, error, calls))
    video_process_task.delay(video.pk).get()
    assert calls == [video.pk] * 3
    video.refresh_from_db()
    assert video.state == Video.State.READY


def test_a_database_error_that_does_not_pass_fails_the_video_with_the_reason(
    monkeypatch, retried_inline
):
    video = Video.objects.create(title="Reanimatie")
    calls = []
    error = OperationalError("database is locked")
    monkeypatch.setattr(tasks, "video_process", _working_after(99, error, calls))
    video_process_task.delay(video.pk).get()
    assert len(calls) == django_settings.PLAYBACK_DATABASE_RETRIES + 1
    video.refresh_from_db()
    assert video.state == Video.State.FAILED and video.reason_code == "database_error"
    with translation.override("nl"):
        assert video.reason == (
            "De database bleef weigeren tijdens het verwerken van de video (database is "
            "locked). Kies Opnieuw transcoderen om het nog eens te proberen."
        )


# --- The editors' view ---------------------------------------------------------------------


@pytest.fixture
def editor_client(client):
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def _midnight():
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def test_the_library_says_since_when_a_video_stalled_instead_of_a_frozen_percentage(
    editor_client,
):
    video = _stalled("transcoding", lease_expires_at=_midnight())
    status = editor_client.get(reverse("playback_video:status", args=[video.pk])).json()
    assert status["stalled"] == "Vastgelopen sinds 00:00"
    assert status["progress"] == 47 and not status["final"]

    index = editor_client.get(reverse("playback_video:index")).text
    assert "Vastgelopen sinds 00:00" in index and "47%</span>" not in index
    edit = editor_client.get(reverse("playback_video:edit", args=[video.pk])).text
    assert "<span data-video-percent>Vastgelopen sinds 00:00</span>" in edit

    # A worker renews the lease: the percentage is back.
    renewed = timezone.now() + timedelta(seconds=60)
    Video.objects.filter(pk=video.pk).update(lease_expires_at=renewed)
    status = editor_client.get(reverse("playback_video:status", args=[video.pk])).json()
    assert status["stalled"] == "" and status["progress"] == 47
    index = editor_client.get(reverse("playback_video:index")).text
    assert "Vastgelopen" not in index and "47%</span>" in index


def test_editors_can_restart_a_stalled_video_but_not_one_a_worker_holds(editor_client):
    refusal = (
        "Deze video wordt nu verwerkt. Opnieuw transcoderen kan zodra dat klaar is, of als de "
        "verwerking is vastgelopen."
    )
    leased = _stalled("transcoding", lease_expires_at=timezone.now() + timedelta(seconds=60))
    # A long video whose own lease is free, but one of its parts is being encoded right now.
    encoding, _done, busy_part, _waiting = _long_video()
    TranscodePart.objects.filter(pk=busy_part.pk).update(
        lease_expires_at=timezone.now() + timedelta(seconds=60)
    )
    for video in (leased, encoding):
        refused = editor_client.post(reverse("playback_video:transcode_again", args=[video.pk]))
        assert refused.status_code == 409
        assert refused.json()["error"] == refusal
        video.refresh_from_db()
        assert video.state == Video.State.TRANSCODING

    stalled = _stalled("transcoding", attempts=3)
    stalled_parts = _long_video()[0]
    failed = _stalled("failed", lease_expires_at=None, reason_code="stalled")
    for video in (stalled, stalled_parts, failed):
        again = editor_client.post(reverse("playback_video:transcode_again", args=[video.pk]))
        assert again.status_code == 200
        assert again.json()["state"] == "uploaded"
        video.refresh_from_db()
        assert (video.state, video.attempts, video.generation) == ("uploaded", 0, 1)
        assert video.lease_expires_at is None and video.reason_code == ""
    assert not TranscodePart.objects.filter(video=stalled_parts).exists()


# --- SQLite's write lock held by another process, with a real worker ----------------------

WORKER_SETTINGS = """
from lms.settings.base import *  # noqa: F403
from lms.settings.base import DATABASES, STORAGES

# A short busy timeout, so the lock below outlasts it within seconds.
DATABASES["default"]["OPTIONS"]["timeout"] = 1
MEDIA_ROOT = {media!r}
for _name in ("default", "videos"):
    STORAGES[_name] = {{
        **STORAGES[_name], "OPTIONS": {{**STORAGES[_name]["OPTIONS"], "location": MEDIA_ROOT}}
    }}
"""


def _row(database: Path, video_id: int):
    with contextlib.closing(sqlite3.connect(database, timeout=30)) as db:
        return db.execute(
            "SELECT state, playable_at, attempts, reason_code FROM playback_video WHERE id = ?",
            (video_id,),
        ).fetchone()


def _wait_for(condition, *, seconds: float, what: str, log: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}\n{log.read_text(errors='replace')[-4000:]}")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_locked_out_of_sqlite_past_its_timeout_retries_and_the_video_ends_ready(
    clips, tmp_path, settings
):
    """The embedded stack: while another process holds SQLite's write lock for longer than the
    busy timeout, the worker's lease renewals fail, the job stops and is retried, and the video
    ends ready instead of transcoding for ever."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock: the embedded stack")
    video = video_with_source(data=clips["lecture"].read_bytes())
    database = tmp_path / "site.sqlite3"
    with contextlib.closing(sqlite3.connect(database)) as copy:
        connection.ensure_connection()
        connection.connection.backup(copy)
    (tmp_path / "locked_worker_settings.py").write_text(
        WORKER_SETTINGS.format(media=str(settings.MEDIA_ROOT))
    )
    log = tmp_path / "worker.log"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")},
        "DJANGO_SETTINGS_MODULE": "locked_worker_settings",
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}",
        "DATABASE_URL": f"sqlite:///{database}",
        # The same filesystem broker as this process, so the job sent below reaches the worker.
        "LEERSTROOM_VAR_DIR": str(settings.VAR_DIR),
        "DEBUG": "false",
        "PLAYBACK_LEASE_SECONDS": "6",
        "PLAYBACK_DATABASE_RETRY_SECONDS": "1",
    }
    celery_app.conf.task_always_eager = False
    worker = None
    try:
        video_process_task.apply_async((video.pk,))
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "lms", "worker", "--queues=transcode",
             "--concurrency=1", "--loglevel=INFO", f"--hostname=locked-{time.monotonic_ns()}@%h"],
            cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        _wait_for(
            lambda: (row := _row(database, video.pk))[0] == "transcoding" and row[1],
            seconds=120,
            what="the video to be playable while it transcodes",
            log=log,
        )
        locker = sqlite3.connect(database, timeout=30, isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")
        locked_at = time.monotonic()
        try:
            _wait_for(
                lambda: "retry: Retry in" in log.read_text(errors="replace"),
                seconds=60,
                what="the job to be retried",
                log=log,
            )
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert time.monotonic() - locked_at > 1  # longer than the worker's busy timeout
        state, _playable, attempts, reason = _wait_for(
            lambda: (row := _row(database, video.pk))[0] in ("ready", "failed") and row,
            seconds=180,
            what="the video to finish",
            log=log,
        )
    finally:
        celery_app.conf.task_always_eager = True
        if worker and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
    text = log.read_text(errors="replace")
    assert f"lease on video {video.pk} not renewed (database is locked)" in text
    assert "OperationalError('database is locked')" in text
    assert (state, reason) == ("ready", ""), text[-3000:]
    assert attempts == 2  # the first try, stopped by the lock, and the retry that finished it
