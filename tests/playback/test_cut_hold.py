"""A long video is playable as soon as a short one: while another worker encodes its first chunk,
the cut waits and the cutting and the sound run below an encode's priority."""

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from playback.models import TranscodePart, Video
from playback.services.cutting import CutHold
from playback.services.ffmpeg import FfmpegProcess, ffmpeg_in_background

pytestmark = pytest.mark.django_db


def _counting_ffmpeg(**options) -> tuple[FfmpegProcess, list[float]]:
    """An ffmpeg that encodes a test picture in real time and reports every second done."""
    seconds: list[float] = []
    process = FfmpegProcess(
        ["-re", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=10", "-t", "60", "-f", "null", "-"],
        timeout=120,
        on_progress=seconds.append,
        **options,
    )
    return process, seconds


def _state(process: FfmpegProcess) -> str:
    """The process's state letter (T: stopped), from /proc."""
    return Path(f"/proc/{process.process.pid}/stat").read_text().rpartition(")")[2].split()[0]


def _stopped(process: FfmpegProcess) -> bool:
    """Whether it is stopped, once a signal just sent has reached it."""
    try:
        _until(lambda: _state(process) == "T", seconds=2)
    except AssertionError:
        return False
    return True


def _running(process: FfmpegProcess) -> bool:
    try:
        _until(lambda: _state(process) != "T", seconds=2)
    except AssertionError:
        return False
    return True


def _niceness(process: FfmpegProcess) -> int:
    return int(Path(f"/proc/{process.process.pid}/stat").read_text().rpartition(")")[2].split()[16])


def _long_video_with_first_chunk() -> tuple[Video, TranscodePart]:
    video = Video.objects.create(title="College", state=Video.State.TRANSCODING, duration=600)
    first = TranscodePart.objects.create(
        video=video, generation=video.generation, kind="video", index=0, start=0, duration=10
    )
    return video, first


def _until(condition, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_cut_waits_while_another_worker_encodes_the_first_chunk_until_the_video_is_playable():
    video, first = _long_video_with_first_chunk()
    cutter, progress = _counting_ffmpeg()
    hold = CutHold(cutter=cutter, video=video)
    try:
        _until(lambda: progress)
        hold.step(first_queued=True)  # queued, no worker has it yet: the cut goes on
        time.sleep(0.3)
        assert _state(cutter) != "T"

        TranscodePart.objects.filter(pk=first.pk).update(
            lease_expires_at=timezone.now() + timedelta(seconds=30)
        )
        hold.step(first_queued=True)
        assert _stopped(cutter)
        deadline = cutter.deadline
        held_at = len(progress)
        time.sleep(1.5)
        hold.step(first_queued=True)  # still encoding: still held
        assert _state(cutter) == "T" and len(progress) <= held_at + 1
        assert cutter.alive()

        Video.objects.filter(pk=video.pk).update(playable_at=timezone.now())
        hold.step(first_queued=True)
        assert _running(cutter)
        assert cutter.deadline - deadline >= 1.5  # the time held does not count
        _until(lambda: len(progress) > held_at + 2)
        hold.step(first_queued=True)  # once let go, never held again
        time.sleep(0.3)
        assert _state(cutter) != "T"
    finally:
        cutter.stop()


def test_the_cut_is_held_at_most_so_long_and_not_for_a_chunk_whose_worker_is_gone(settings):
    video, first = _long_video_with_first_chunk()
    leased = timezone.now() + timedelta(seconds=30)
    TranscodePart.objects.filter(pk=first.pk).update(lease_expires_at=leased)
    for let_go in ("at most", "worker gone", "done"):
        settings.PLAYBACK_CUT_HOLD_SECONDS = 0.5 if let_go == "at most" else 20
        cutter, _progress = _counting_ffmpeg()
        hold = CutHold(cutter=cutter, video=video)
        try:
            hold.step(first_queued=True)
            assert _stopped(cutter), let_go
            if let_go == "worker gone":  # its lease ran out
                TranscodePart.objects.filter(pk=first.pk).update(
                    lease_expires_at=timezone.now() - timedelta(seconds=1)
                )
            if let_go == "done":
                TranscodePart.objects.filter(pk=first.pk).update(done=True)
            time.sleep(0.6)
            hold.step(first_queued=True)
            assert _running(cutter), let_go
        finally:
            cutter.stop()
        TranscodePart.objects.filter(pk=first.pk).update(lease_expires_at=leased, done=False)


def test_the_cutting_and_the_sound_run_below_an_encode_and_a_live_encoder_not_at_all():
    started = []
    try:
        for options, background in (({}, False), ({}, True), ({"live": True}, False)):
            if background:
                with ffmpeg_in_background():
                    started.append(_counting_ffmpeg(**options)[0])
            else:
                started.append(_counting_ffmpeg(**options)[0])
        encode, background, live = (_niceness(process) for process in started)
    finally:
        for process in started:
            process.stop()
    here = os.nice(0)
    assert (encode - here, background - here, live - here) == (5, 15, 0)
