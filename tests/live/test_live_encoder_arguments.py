"""The live encoder keeps up with real time: its own x264 preset (LIVE_X264_PRESET), not the
on-demand one, no look-ahead, and the web processes' priority rather than below it."""

import os
import subprocess
import sys

from playback.ladder import Rung
from playback.services.ffmpeg import child_limits
from playback.services.transcoding import LiveInput, transcode_arguments


def test_the_live_encoder_uses_its_own_preset(settings, tmp_path):
    settings.LIVE_X264_PRESET, settings.PLAYBACK_X264_PRESET = "superfast", "slow"
    arguments = transcode_arguments(
        source=LiveInput(url="rtmp://127.0.0.1:1935/live/stream", segment_seconds=2),
        output=tmp_path,
        rungs=[Rung("360p", 640, 360, 800)],
        frame_rate=30,
        has_audio=False,
    )
    assert arguments[arguments.index("-preset") + 1] == "superfast"
    assert arguments[arguments.index("-tune") + 1] == "zerolatency"


def test_the_live_encoder_is_not_niced_below_the_web_processes():
    """An on-demand encode yields to the web processes; a live one must keep real time."""

    def niceness(preexec) -> int:
        command = [sys.executable, "-c", "import os; print(os.nice(0))"]
        return int(subprocess.run(command, capture_output=True, preexec_fn=preexec).stdout)

    own = os.nice(0)
    assert niceness(child_limits("live")) == own
    assert niceness(child_limits("on_demand")) == min(19, own + 5)
