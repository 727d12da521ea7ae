"""The live playlists (decision 17): a date where the timeline starts and after each seam, the
DVR window, a discontinuity and a new init section where the presenter published again, delta
updates that keep a reload small however long the window, and the replay that lists it all."""

import re

from playback.services.live_playlists import (
    MANIFEST_PAGE_SEGMENTS,
    LiveSegment,
    live_playlist_render,
    manifest_read,
    manifest_write,
)
from playback.storage import LocalVideoStorage


def _segments(publish: int, count: int, start: int = 0, seconds: float = 2.0) -> list[LiveSegment]:
    return [
        LiveSegment(
            uri=f"p{publish}/seg_{n:05d}.m4s",
            seconds=seconds,
            date=f"2026-12-06T20:{(start + int(seconds * n)) // 60:02d}:"
            f"{(start + int(seconds * n)) % 60:02d}.000+00:00",
            init=f"p{publish}/init.mp4",
            publish=publish,
        )
        for n in range(count)
    ]


def _listed(playlist: str) -> list[str]:
    return [line for line in playlist.splitlines() if line and not line.startswith("#")]


def test_a_reconnect_is_a_discontinuity_in_the_same_playlist_and_the_window_slides():
    segments = _segments(1, 3) + _segments(2, 3, start=20)
    live = live_playlist_render(segments, segment_seconds=2, dvr_seconds=None)
    assert live.count("#EXT-X-DISCONTINUITY\n") == 1 and "#EXT-X-ENDLIST" not in live
    assert live.index('#EXT-X-MAP:URI="p2/init.mp4"') > live.index("#EXT-X-DISCONTINUITY\n")
    # A date where the timeline starts and where it starts again, the rest counted on (§6.2.1).
    assert re.findall(r"PROGRAM-DATE-TIME:(\S+)\n#EXTINF:[\d.]+,\n(\S+)", live) == [
        ("2026-12-06T20:00:00.000+00:00", "p1/seg_00000.m4s"),
        ("2026-12-06T20:00:20.000+00:00", "p2/seg_00000.m4s"),
    ]

    window = live_playlist_render(segments, segment_seconds=2, dvr_seconds=4)
    assert "#EXT-X-MEDIA-SEQUENCE:4" in window and "#EXT-X-DISCONTINUITY-SEQUENCE:1" in window
    assert window.startswith("#EXTM3U") and 'URI="p2/init.mp4"' in window
    assert "p1/" not in window and window.count("#EXTINF:") == 2
    assert "#EXT-X-PROGRAM-DATE-TIME:2026-12-06T20:00:22.000+00:00\n" in window

    replay = live_playlist_render(segments, segment_seconds=2, dvr_seconds=None, ended=True)
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in replay and replay.endswith("#EXT-X-ENDLIST\n")
    assert replay.count("#EXTINF:") == 6 and "SERVER-CONTROL" not in replay


def test_a_delta_update_lists_only_the_last_seconds_of_an_hour_long_window():
    hour = _segments(1, 3600, seconds=1.0)
    full = live_playlist_render(hour, segment_seconds=1, dvr_seconds=7200)
    delta = live_playlist_render(hour, segment_seconds=1, dvr_seconds=7200, delta=True)

    assert "#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=12.0" in full and "#EXT-X-VERSION:9" in full
    assert len(_listed(full)) == 3600 and "EXT-X-SKIP" not in full
    # Segments that end further than the skip boundary (12 s) from the end are one line (§6.2.5.1);
    # the sequence numbers still describe the first, skipped, segment (§4.4.5.2).
    assert "#EXT-X-SKIP:SKIPPED-SEGMENTS=3587\n" in delta
    assert "#EXT-X-MEDIA-SEQUENCE:0\n" in delta and "#EXT-X-DISCONTINUITY-SEQUENCE:0\n" in delta
    assert _listed(delta) == _listed(full)[3587:]
    # The first listed segment names its init section and its date.
    assert delta.index('#EXT-X-MAP:URI="p1/init.mp4"') < delta.index("p1/seg_03587.m4s")
    assert "#EXT-X-PROGRAM-DATE-TIME:2026-12-06T20:59:47.000+00:00\n" in delta
    assert len(delta) < 1_000 < 100 * len(full) // 1_000  # bytes per reload: a delta is tiny
    # Each full line a segment adds is its duration and name, ~40 bytes, not ~90 with a date.
    assert len(full) < 3600 * 40


def test_a_seam_inside_the_skipped_part_is_counted_by_the_header_not_repeated():
    segments = _segments(1, 30, seconds=1.0) + _segments(2, 30, start=40, seconds=1.0)
    delta = live_playlist_render(segments, segment_seconds=1, dvr_seconds=None, delta=True)
    assert "#EXT-X-SKIP:SKIPPED-SEGMENTS=47\n" in delta
    assert "#EXT-X-DISCONTINUITY\n" not in delta and "#EXT-X-DISCONTINUITY-SEQUENCE:0\n" in delta
    assert 'URI="p2/init.mp4"' in delta and "p1/" not in delta

    short = live_playlist_render(segments[-8:], segment_seconds=1, dvr_seconds=None, delta=True)
    assert "EXT-X-SKIP" not in short and len(_listed(short)) == 8


def test_an_ended_playlist_offers_no_delta_update():
    segments = _segments(1, 100, seconds=1.0)
    replay = live_playlist_render(segments, segment_seconds=1, dvr_seconds=None, ended=True)
    asked = live_playlist_render(
        segments, segment_seconds=1, dvr_seconds=None, ended=True, delta=True
    )
    assert asked == replay and "EXT-X-SKIP" not in asked


def test_the_manifest_is_stored_in_pages_and_publishing_rewrites_only_the_last(tmp_path):
    storage = LocalVideoStorage(location=tmp_path, base_url="/media/")
    prefix = "live/stream/hls"
    assert manifest_read(storage, prefix) == {}

    listed = _segments(1, MANIFEST_PAGE_SEGMENTS * 2 + 5, seconds=1.0)
    manifest = {"360p": listed, "audio": listed[:3]}
    manifest_write(storage, prefix, manifest)
    pages = sorted(p.name for p in (tmp_path / prefix / "manifest").iterdir())
    assert pages == ["360p.00000.json", "360p.00001.json", "360p.00002.json", "audio.00000.json"]
    assert manifest_read(storage, prefix) == manifest

    # One more segment: only the page it lands on is written again.
    saved, save = [], storage.save
    storage.save = lambda name, content, **kw: saved.append(name) or save(name, content, **kw)
    more = _segments(1, MANIFEST_PAGE_SEGMENTS * 2 + 6, seconds=1.0)
    manifest_write(storage, prefix, {"360p": more}, since={"360p": len(listed)})
    assert saved == [f"{prefix}/manifest/360p.00002.json"]
    assert manifest_read(storage, prefix) == {"360p": more, "audio": listed[:3]}


def test_one_second_audio_segments_keep_a_target_of_one_second():
    # 48 AAC frames of 1,024 samples at 48 kHz: 1.024 s; the spec rounds to the nearest second.
    audio = _segments(1, 30, seconds=1.024)
    playlist = live_playlist_render(audio, segment_seconds=1, dvr_seconds=None, delta=True)
    assert "#EXT-X-TARGETDURATION:1\n" in playlist and "CAN-SKIP-UNTIL=12.0" in playlist
    assert "#EXT-X-SKIP:SKIPPED-SEGMENTS=18\n" in playlist
    longer = live_playlist_render(_segments(1, 3, seconds=1.6), segment_seconds=1, dvr_seconds=None)
    assert "#EXT-X-TARGETDURATION:2\n" in longer
