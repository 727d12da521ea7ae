"""The live playlists (decision 17): a date on every segment, the DVR window, a discontinuity
and a new init section where the presenter published again, and the replay that lists it all."""

from playback.services.live_encoding import LiveSegment, live_playlist_render


def _segments(publish: int, count: int, start: int = 0) -> list[LiveSegment]:
    return [
        LiveSegment(
            uri=f"p{publish}/seg_{n:05d}.m4s",
            seconds=2.0,
            date=f"2026-12-06T20:00:{start + 2 * n:02d}.000+00:00",
            init=f"p{publish}/init.mp4",
            publish=publish,
        )
        for n in range(count)
    ]


def test_a_reconnect_is_a_discontinuity_in_the_same_playlist_and_the_window_slides():
    segments = _segments(1, 3) + _segments(2, 3, start=20)
    live = live_playlist_render(segments, segment_seconds=2, dvr_seconds=None)
    assert live.count("#EXT-X-DISCONTINUITY\n") == 1 and "#EXT-X-ENDLIST" not in live
    assert live.index('#EXT-X-MAP:URI="p2/init.mp4"') > live.index("#EXT-X-DISCONTINUITY\n")
    assert live.count("#EXT-X-PROGRAM-DATE-TIME:") == 6

    window = live_playlist_render(segments, segment_seconds=2, dvr_seconds=4)
    assert "#EXT-X-MEDIA-SEQUENCE:4" in window and "#EXT-X-DISCONTINUITY-SEQUENCE:1" in window
    assert window.startswith("#EXTM3U") and 'URI="p2/init.mp4"' in window
    assert "p1/" not in window and window.count("#EXTINF:") == 2

    replay = live_playlist_render(segments, segment_seconds=2, dvr_seconds=None, ended=True)
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in replay and replay.endswith("#EXT-X-ENDLIST\n")
    assert replay.count("#EXTINF:") == 6
