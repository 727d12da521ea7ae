"""A real Celery worker on the Redis broker: killed mid-transcode, the video still ends ready."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.db import connection

from lms.celery import app as celery_app
from playback.models import TranscodePart, Video
from playback.services.hls import media_playlist_parse
from playback.tasks import video_process_task
from tests.conftest import requires_services

from .conftest import video_with_source

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [requires_services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _start_worker(log: Path, concurrency: int = 1, **extra_env: str) -> subprocess.Popen:
    settings = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.base",
        "DEBUG": "false",
        "DATABASE_URL": (
            f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
        ),
        # A job whose worker died returns to the queue after this long.
        "CELERY_VISIBILITY_TIMEOUT": "4",
        "PLAYBACK_LEASE_SECONDS": "6",
        **extra_env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms", "worker", "--queues=transcode",
         f"--concurrency={concurrency}", "--loglevel=INFO",
         f"--hostname=test-{time.monotonic_ns()}@%h"],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def _wait_for(condition, *, seconds: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    tail = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


def _finished(video: Video, log: Path) -> Video:
    return _wait_for(
        lambda: Video.objects.filter(pk=video.pk, state__in=["ready", "failed"]).first(),
        seconds=180,
        what="the video to finish after the restart",
        log=log,
    )


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)


@pytest.fixture
def real_broker():
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


def test_a_worker_killed_mid_transcode_is_replaced_and_the_video_ends_ready(
    clips, real_broker, tmp_path, migrated_data
):
    log = tmp_path / "worker.log"
    video = video_with_source(data=clips["lecture"].read_bytes())
    worker = _start_worker(log)
    try:
        video_process_task.apply_async((video.id,))
        _wait_for(
            lambda: Video.objects.filter(pk=video.pk, state="transcoding", progress__gt=5).exists(),
            seconds=60,
            what="transcoding to start",
        )
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        killed = Video.objects.get(pk=video.pk)
        assert killed.state == Video.State.TRANSCODING
        assert killed.attempts == 1

        worker = _start_worker(log)
        ready = _finished(video, log)
    finally:
        _stop(worker)
    assert ready.state == Video.State.READY, log.read_text()[-3000:]
    assert ready.attempts == 2
    assert ready.poster_id is not None
    assert sorted(ready.renditions.values_list("name", flat=True)) == [
        "360p", "540p", "720p", "audio",
    ]  # fmt: skip
    ffmpeg_left = subprocess.run(["pgrep", "-f", str(ready.uuid)], capture_output=True)
    assert ffmpeg_left.stdout == b""


def test_workers_killed_while_encoding_parts_of_a_long_video_leave_it_ready_after_restart(
    clips, real_broker, tmp_path, migrated_data
):
    log = tmp_path / "worker.log"
    # Three parts of 8 s, two rungs: what is tested is the restart, not the ladder. At the tests'
    # fast preset a part takes a second and the moment to kill is easily missed; at x264's
    # medium preset a part takes a few.
    chunking = {
        "PLAYBACK_CHUNKED_MIN_SECONDS": "20",
        "PLAYBACK_CHUNK_SECONDS": "8",
        "PLAYBACK_FIRST_CHUNK_SECONDS": "8",
        "PLAYBACK_X264_PRESET": "medium",
    }
    video = video_with_source(data=clips["two_rungs"].read_bytes())
    worker = _start_worker(log, concurrency=2, **chunking)
    try:
        video_process_task.apply_async((video.id,))
        _wait_for(
            lambda: (
                TranscodePart.objects.filter(video=video, done=True).exists()
                and TranscodePart.objects.filter(video=video, done=False, encoded_seconds__gt=0)
            ),
            seconds=90,
            what="one part done and another under way",
            log=log,
        )
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        assert Video.objects.get(pk=video.pk).state == Video.State.TRANSCODING
        interrupted = set(
            TranscodePart.objects.filter(video=video, done=False, attempts=1).values_list(
                "pk", flat=True
            )
        )
        assert interrupted

        worker = _start_worker(log, concurrency=2, **chunking)
        ready = _finished(video, log)
    finally:
        _stop(worker)
    assert ready.state == Video.State.READY, log.read_text()[-3000:]
    parts = TranscodePart.objects.filter(video=video)
    assert all(part.done for part in parts)
    assert {p.attempts for p in parts if p.pk in interrupted} == {2}
    storage = storages["videos"]
    for stream in ("360p", "540p", "audio"):
        text = storage.open(f"{ready.storage_prefix}/{stream}/index.m3u8").read().decode()
        segments = media_playlist_parse(text).segments
        assert len({name for name, _s in segments}) == len(segments)
        assert sum(seconds for _name, seconds in segments) == pytest.approx(24, abs=0.5)
        assert all(storage.exists(f"{ready.storage_prefix}/{stream}/{n}") for n, _s in segments)
