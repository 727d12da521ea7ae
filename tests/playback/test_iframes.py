"""I-frame playlists for trick play: every keyframe already encoded, named by its bytes within
the segments players fetch anyway."""

import re
from pathlib import Path

import pytest

from playback.services import fmp4
from playback.services.hls import SLIVER_SECONDS

from .test_filmed_sources import _ready, frame_times
from .test_transcode import _master_variants, _probe_json

pytestmark = pytest.mark.django_db


def iframe_streams(master: str) -> list[dict]:
    return [
        dict(re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1]))
        for line in master.splitlines()
        if line.startswith("#EXT-X-I-FRAME-STREAM-INF:")
    ]


def iframe_entries(text: str) -> list[tuple[str, str, int, int, float]]:
    """(init, segment, offset, length, seconds) of every I-frame in an I-frame playlist."""
    entries, init, seconds, byte_range = [], None, None, None
    for line in text.splitlines():
        if line.startswith("#EXT-X-MAP:"):
            init = re.search(r'URI="([^"]+)"', line).group(1)
        elif line.startswith("#EXTINF:"):
            seconds = float(line[len("#EXTINF:") :].split(",")[0])
        elif line.startswith("#EXT-X-BYTERANGE:"):
            length, offset = line.split(":", 1)[1].split("@")
            byte_range = (int(offset), int(length))
        elif line and not line.startswith("#"):
            entries.append((init, line, *byte_range, seconds))
    return entries


def iframes_check(folder: Path, scratch: Path) -> list[tuple[str, str, int, int, float]]:
    """A rung's I-frame playlist: each range is one fragment's moof through the end of its
    first sample, a keyframe that a decoder shows on its own."""
    text = (folder / "iframes.m3u8").read_text()
    assert {"#EXT-X-I-FRAMES-ONLY", "#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-ENDLIST"} <= set(
        text.splitlines()
    )
    entries = iframe_entries(text)
    for init, segment, offset, length, _seconds in entries:
        data = (folder / segment).read_bytes()[offset : offset + length]
        assert data[4:8] == b"moof"
        header = (folder / init).read_bytes()
        (fragment,) = fmp4.fragments(data, fmp4.init_tracks(header))
        _duration, first_size, first_flags = fragment.samples[0]
        assert not first_flags & fmp4.NON_SYNC_SAMPLE
        assert fragment.data_start + first_size == length  # the range ends with the keyframe
        alone = scratch / "iframe.mp4"
        alone.write_bytes(header + data)
        frames = _probe_json(
            "-select_streams", "v:0", "-show_entries", "frame=key_frame,pict_type", str(alone)
        )["frames"]  # fmt: skip
        assert [(f["key_frame"], f["pict_type"]) for f in frames] == [(1, "I")]
    return entries


@pytest.mark.slow
def test_every_rung_has_an_iframe_playlist_of_its_own_keyframes(filmed, tmp_path):
    _video, local = _ready(filmed["sliver"], tmp_path)
    master = (local / "master.m3u8").read_text()
    streams = {s["URI"].strip('"'): s for s in iframe_streams(master)}
    assert set(streams) == {"360p/iframes.m3u8", "540p/iframes.m3u8"}
    for variant in _master_variants(master):
        rung = variant["uri"].split("/")[0]
        attributes = streams[f"{rung}/iframes.m3u8"]
        assert attributes["RESOLUTION"] == variant["attributes"]["RESOLUTION"]
        assert attributes["CODECS"] == variant["attributes"]["CODECS"].split(",")[0] + '"'
        assert 0 < int(attributes["AVERAGE-BANDWIDTH"]) <= int(attributes["BANDWIDTH"])

        entries = iframes_check(local / rung, tmp_path)
        # The keyframe 0.04 s before the end (one frame) stands with the one before it.
        _times, keyframes = frame_times(local / rung / "index.m3u8")
        assert keyframes == pytest.approx([0, 2, 4, 6, 8])
        iframes_follow_keyframes(entries, keyframes, seconds=8.04)


def iframes_follow_keyframes(entries: list, keyframes: list[float], *, seconds: float) -> None:
    """Each I-frame starts at a keyframe of the rung and stands until the next I-frame; only
    keyframes in the last second of a video or a part are left out."""
    starts = [keyframes[0] + sum(e[4] for e in entries[:n]) for n in range(len(entries))]
    ends = [*keyframes[1:], keyframes[0] + seconds]
    for keyframe, end in zip(keyframes, ends, strict=True):
        listed = any(abs(start - keyframe) < 0.011 for start in starts)
        assert listed or end - keyframe < SLIVER_SECONDS, (keyframe, starts)
    assert all(any(abs(start - k) < 0.011 for k in keyframes) for start in starts)
    assert min(e[4] for e in entries) >= SLIVER_SECONDS
    assert sum(e[4] for e in entries) == pytest.approx(seconds, abs=0.01)
