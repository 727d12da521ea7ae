"""The live encoder keeps up with real time: its own x264 preset (LIVE_X264_PRESET), not the
on-demand one, no look-ahead, a GOP per (short) segment, and the web processes' priority rather
than below it."""

import json
import os
import socket
import subprocess
import sys

import pytest

from playback.ladder import Rung
from playback.services.ffmpeg import FfmpegError, child_limits
from playback.services.live_encoding import live_probe
from playback.services.transcoding import LiveInput, transcode_arguments

URL = "rtmp://127.0.0.1:1935/live/stream"


def _live_arguments(output, segment_seconds: int = 2) -> list[str]:
    """The live encoder's arguments for one 360p rung."""
    return transcode_arguments(
        source=LiveInput(url=URL, segment_seconds=segment_seconds),
        output=output,
        rungs=[Rung("360p", 640, 360, 800)],
        frame_rate=30,
        has_audio=True,
    )


def test_the_live_encoder_uses_its_own_preset(settings, tmp_path):
    settings.LIVE_X264_PRESET, settings.PLAYBACK_X264_PRESET = "superfast", "slow"
    arguments = _live_arguments(tmp_path)
    assert arguments[arguments.index("-preset") + 1] == "superfast"
    assert arguments[arguments.index("-tune") + 1] == "zerolatency"
    # Frame threads, not slices: a sliced encoder waits for its slowest slice every frame.
    assert arguments[arguments.index("-x264-params") + 1] == "sliced-threads=0:threads=4"


def test_a_live_segment_is_one_gop_as_short_as_the_setting(settings, tmp_path):
    """Players start three segments from the live end: one-second segments keep a viewer three
    to four seconds behind the presenter. On demand keeps its two-second GOPs."""
    arguments = _live_arguments(tmp_path, segment_seconds=1)
    assert arguments[arguments.index("-hls_time") + 1] == "1"
    assert arguments[arguments.index("-g") + 1] == "30"  # frames at 30 fps
    assert arguments[arguments.index("-force_key_frames") + 1] == "expr:gte(t,n_forced*1)"
    assert settings.LIVE_SEGMENT_SECONDS == 1 and settings.PLAYBACK_GOP_SECONDS == 2


def test_the_live_encoder_is_not_niced_below_the_web_processes():
    """An on-demand encode yields to the web processes; a live one must keep real time."""

    def niceness(preexec) -> int:
        command = [sys.executable, "-c", "import os; print(os.nice(0))"]
        return int(subprocess.run(command, capture_output=True, preexec_fn=preexec).stdout)

    own = os.nice(0)
    assert niceness(child_limits("live")) == own
    assert niceness(child_limits("on_demand")) == min(19, own + 5)


def test_a_picture_that_lags_its_sound_is_waited_for(settings, tmp_path):
    """A publisher whose picture lags its sound (4K on a slow machine) announces a picture
    ffprobe cannot size yet: the probe says so as a passing error, to be tried again, rather
    than planning a ladder for a 0 × 0 picture. The encoder may read further for it."""
    streams = [{"codec_type": "audio"}, {"codec_type": "video", "codec_name": "h264"}]
    ffprobe = tmp_path / "ffprobe"
    ffprobe.write_text(f"#!/bin/sh\necho '{json.dumps({'streams': streams})}'\n")
    ffprobe.chmod(0o755)
    settings.FFPROBE_BINARY = str(ffprobe)
    with pytest.raises(FfmpegError, match="cannot be read yet"):
        live_probe(URL)

    arguments = _live_arguments(tmp_path)
    assert arguments[arguments.index("-analyzeduration") + 1] == "10000000"


def test_a_stream_not_readable_yet_is_a_passing_error_with_ffprobes_words(tmp_path):
    """Nothing published at the address yet (the ingest accepts a publish before its stream can
    be read): the probe fails as an error the encoder tries again, carrying what ffprobe said."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]  # no one listens once the socket is closed
    with pytest.raises(FfmpegError, match="ffprobe failed") as failed:
        live_probe(f"rtmp://127.0.0.1:{closed}/live/stream", timeout=5)
    assert failed.value.stderr.strip()
