"""The live encoder keeps up with real time: its own x264 preset (LIVE_X264_PRESET), not the
on-demand one, and no look-ahead."""

from playback.ladder import Rung
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
