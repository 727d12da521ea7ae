"""What is published while a video encodes: no sliver of a segment, honest peak bit rates."""

import pytest
from django.core.files.storage import FileSystemStorage

from playback.services.fmp4 import segment_seconds, segments_join
from playback.services.hls import media_playlist_parse, media_playlist_render, peak_bit_rate
from playback.services.publishing import SLIVER_SECONDS, SegmentUploader, StreamSpec

from .test_filmed_sources import _ready, frame_times
from .test_transcode import _master_variants

pytestmark = pytest.mark.django_db
MEGABYTE = 1_000_000


def test_the_peak_is_over_runs_of_segments_half_to_one_and_a_half_target_durations_long():
    six_seconds = [(6.0, MEGABYTE)] * 3
    assert peak_bit_rate(six_seconds, target_duration=6) == pytest.approx(1_333_334, abs=1)
    # A short last segment with a keyframe in it no longer stands for the stream.
    with_sliver = [*six_seconds, (0.04, 100_000)]
    assert peak_bit_rate(with_sliver, target_duration=6) == pytest.approx(
        (MEGABYTE + 100_000) * 8 / 6.04, abs=1
    )
    # Two-second first segments count two or more at a time (3 to 9 s).
    opening = [(2.0, MEGABYTE), (2.0, 100_000), (2.0, 100_000), *six_seconds]
    assert peak_bit_rate(opening, target_duration=6) == pytest.approx(
        (MEGABYTE + 100_000) * 8 / 4, abs=1
    )
    # Too short for any run: the average.
    assert peak_bit_rate([(2.0, 250_000)], target_duration=6) == 1_000_000
    assert peak_bit_rate([], target_duration=6) == 0


@pytest.mark.slow
def test_no_segment_is_a_sliver_and_the_peak_stays_within_twice_the_average(filmed, tmp_path):
    """8.04 s at 25 a second: a keyframe is due at 8 s, one frame before the end."""
    _video, local = _ready(filmed["sliver"], tmp_path)
    for stream in ("360p", "540p", "audio"):
        playlist = media_playlist_parse((local / stream / "index.m3u8").read_text())
        durations = [seconds for _name, seconds in playlist.segments]
        assert min(durations) >= SLIVER_SECONDS, (stream, durations)
        assert sum(durations) == pytest.approx(8.04, abs=0.05)  # sound: with its priming
        init = (local / stream / playlist.init).read_bytes()
        for name, seconds in playlist.segments:  # what is listed is what the file holds
            data = (local / stream / name).read_bytes()
            assert segment_seconds(data, init) == pytest.approx(seconds, abs=0.002)
    for rung in ("360p", "540p"):
        times, _keyframes = frame_times(local / rung / "index.m3u8")
        assert len(times) == 201  # the joined frame plays too
    for variant in _master_variants((local / "master.m3u8").read_text()):
        attributes = variant["attributes"]
        assert int(attributes["BANDWIDTH"]) <= 2 * int(attributes["AVERAGE-BANDWIDTH"])


def test_joined_segments_keep_one_segment_type_box():
    first = b"\x00\x00\x00\x10stypmsdh\x00\x00\x00\x00" + b"\x00\x00\x00\x08moof"
    second = b"\x00\x00\x00\x10stypmsdh\x00\x00\x00\x00" + b"\x00\x00\x00\x08mdat"
    assert segments_join(first, second) == first + b"\x00\x00\x00\x08mdat"


def test_a_segment_ending_near_the_end_waits_for_the_encoder_and_takes_the_sliver_after_it(
    tmp_path,
):
    scratch, storage = tmp_path / "hls", FileSystemStorage(location=tmp_path / "storage")
    (scratch / "360p").mkdir(parents=True)
    styp = b"\x00\x00\x00\x10stypmsdh\x00\x00\x00\x00"

    def encoder_writes(*segments: tuple[str, float]) -> None:
        (scratch / "360p" / "init.mp4").write_bytes(b"\x00\x00\x00\x08ftyp")
        for name, _seconds in segments:
            (scratch / "360p" / name).write_bytes(styp + name.encode())
        listed = media_playlist_render(
            init="init.mp4", segments=list(segments), final=False, target_duration=6
        )
        (scratch / "360p" / "index.m3u8").write_text(listed)

    uploader = SegmentUploader(
        storage=storage,
        prefix="video",
        scratch=scratch,
        streams=[StreamSpec(name="360p")],
        expected_seconds=8.04,
    )
    segments = [(f"seg_{n:05d}.m4s", 2.0) for n in range(4)]
    encoder_writes(*segments)
    published = uploader.upload_new()["360p"]
    # The fourth ends 0.04 s before the end: it waits.
    assert [name for name, _s, _b in published] == [
        "seg_00000.m4s",
        "seg_00001.m4s",
        "seg_00002.m4s",
    ]
    assert uploader.upload_new() == {}

    encoder_writes(*segments, ("seg_00004.m4s", 0.04))
    assert uploader.upload_new() == {}
    (last,) = uploader.upload_new(done=True)["360p"]
    assert last[:2] == ("seg_00003.m4s", 2.04)
    with storage.open("video/360p/seg_00003.m4s") as handle:
        assert handle.read() == styp + b"seg_00003.m4s" + b"seg_00004.m4s"
    assert not storage.exists("video/360p/seg_00004.m4s")
    assert not (scratch / "360p" / "seg_00004.m4s").exists()
