"""The live playlists and the manifest they are rendered from (decision 17): the last
``dvr_seconds`` of the stream with a discontinuity where the presenter published again, delta
updates of its last seconds, the manifest of everything published in pages, and the replay,
which lists it all and ends."""

import itertools
import json
import math
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.files.base import ContentFile

from ..layout import DELTA_PLAYLIST_NAME, PLAYLIST_NAME
from .hls import playlist_target_duration

# What has been published, in pages of a few minutes: <stream>.<page>.json.
MANIFEST_FOLDER = "manifest"
MANIFEST_PAGE_SEGMENTS = 300
MANIFEST_PAGE = re.compile(r"(?P<stream>[a-z0-9]{2,12})\.(?P<page>\d{5})\.json")
# Delta updates skip what lies further than this many target durations from the end: at least
# six (RFC 8216bis §4.4.3.8); twelve lets a player that is six seconds late still ask for one.
SKIP_BOUNDARY_TARGETS = 12


@dataclass
class LiveSegment:
    uri: str  # relative to the stream's playlist: p<n>/seg_00001.m4s
    seconds: float
    date: str  # EXT-X-PROGRAM-DATE-TIME, from the ingest clock
    init: str  # p<n>/init.mp4
    publish: int


def live_playlist_render(
    segments: list[LiveSegment],
    *,
    segment_seconds: int,
    dvr_seconds: int | None,
    ended: bool = False,
    delta: bool = False,
) -> str:
    """The last ``dvr_seconds`` of the stream (all of it when ``dvr_seconds`` is None), with a
    discontinuity where the presenter published again, ENDLIST once the stream has ended.

    A date goes on the first segment and on each after a discontinuity (RFC 8216bis §6.2.1);
    players count on from there. While live, the playlist offers delta updates (§6.2.5.1):
    ``delta`` renders the one a player asks for with ``_HLS_skip``, in which the segments
    further than the skip boundary from the end are one ``EXT-X-SKIP`` line, so a player
    reloading every second fetches a few hundred bytes however long the DVR window."""
    first = _window_start(segments, dvr_seconds)
    window = segments[first:]
    seams_before = sum(
        1 for a, b in itertools.pairwise(segments[: first + 1]) if a.publish != b.publish
    )
    target = playlist_target_duration([s.seconds for s in window], segment_seconds)
    skip_boundary = SKIP_BOUNDARY_TARGETS * target
    skipped = _skippable(window, skip_boundary) if delta and not ended else 0
    lines = [
        "#EXTM3U",
        f"#EXT-X-VERSION:{7 if ended else 9}",
        f"#EXT-X-TARGETDURATION:{target}",
        f"#EXT-X-MEDIA-SEQUENCE:{first}",
        f"#EXT-X-DISCONTINUITY-SEQUENCE:{seams_before}",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    if ended and dvr_seconds is None:
        lines.append("#EXT-X-PLAYLIST-TYPE:VOD")
    if not ended:
        lines.append(f"#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL={skip_boundary:.1f}")
    if skipped:
        lines.append(f"#EXT-X-SKIP:SKIPPED-SEGMENTS={skipped}")
    init = None  # the first listed segment names its init section and date, after a skip too
    for index in range(skipped, len(window)):
        segment = window[index]
        seam = index > 0 and segment.publish != window[index - 1].publish
        if seam:
            lines.append("#EXT-X-DISCONTINUITY")
        if segment.init != init:
            lines.append(f'#EXT-X-MAP:URI="{segment.init}"')
            init = segment.init
        if seam or index == skipped:
            lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{segment.date}")
        lines += [f"#EXTINF:{segment.seconds:.6f},", segment.uri]
    if ended:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def _window_start(segments: list[LiveSegment], dvr_seconds: int | None) -> int:
    """The index of the first segment within the last ``dvr_seconds`` (always the last)."""
    if dvr_seconds is None:
        return 0
    kept = 0.0
    first = len(segments)
    while first > 0 and kept + segments[first - 1].seconds <= dvr_seconds:
        first -= 1
        kept += segments[first].seconds
    return min(first, max(0, len(segments) - 1))


def _skippable(window: list[LiveSegment], boundary: float) -> int:
    """How many segments at the start of ``window`` end more than ``boundary`` seconds before
    its end: those a delta update may leave out."""
    remaining = sum(s.seconds for s in window)
    count = 0
    for segment in window:
        remaining -= segment.seconds
        if remaining <= boundary:
            break
        count += 1
    return count


def manifest_read(storage, prefix: str) -> dict[str, list[LiveSegment]]:
    """Every stream's segments in the order published, from the manifest's pages."""
    folder = f"{prefix}/{MANIFEST_FOLDER}"
    try:
        _folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return {}
    pages = sorted(
        (match["stream"], int(match["page"]), name)
        for name in files
        if (match := MANIFEST_PAGE.fullmatch(name))
    )

    def page_read(name: str) -> list[dict]:
        with storage.open(f"{folder}/{name}") as handle:
            return json.loads(handle.read())

    with ThreadPoolExecutor(max_workers=8) as pool:
        contents = list(pool.map(page_read, [name for *_key, name in pages]))
    manifest: dict[str, list[LiveSegment]] = {}
    for (stream, _page, _name), listed in zip(pages, contents, strict=True):
        manifest.setdefault(stream, []).extend(LiveSegment(**s) for s in listed)
    return manifest


def manifest_write(
    storage, prefix: str, manifest: dict[str, list[LiveSegment]], *, since=None
) -> None:
    """Store the pages that hold a stream's segments from ``since[stream]`` on (every page
    without ``since``): the pages before stay as they are, so publishing a segment costs the
    same in the second hour as in the first minute."""
    for stream, listed in manifest.items():
        first = (since or {}).get(stream, 0) // MANIFEST_PAGE_SEGMENTS
        last = math.ceil(len(listed) / MANIFEST_PAGE_SEGMENTS)
        for page in range(first, last):
            part = listed[page * MANIFEST_PAGE_SEGMENTS : (page + 1) * MANIFEST_PAGE_SEGMENTS]
            storage.save(
                f"{prefix}/{MANIFEST_FOLDER}/{stream}.{page:05d}.json",
                ContentFile(json.dumps([asdict(s) for s in part]).encode()),
            )


def live_playlists_close(
    *, storage, prefix: str, start: float | None = None, end: float | None = None
) -> float:
    """The replay: every rung's playlist lists the stream's segments and ends; with ``start``
    and ``end`` (seconds from the start) only the segments in that range (a trim: the segments
    stay, the manifest keeps the whole recording to trim again from). Returns the seconds
    the playlists last (of the longest rung)."""
    manifest = manifest_read(storage, prefix)
    kept = {
        stream: recording_range(segments, start=start, end=end)
        for stream, segments in manifest.items()
    }
    for stream, segments in kept.items():
        closed = live_playlist_render(
            segments, segment_seconds=settings.LIVE_SEGMENT_SECONDS, dvr_seconds=None, ended=True
        ).encode()
        # A player still asking for a delta update gets the whole ended playlist (§6.2.5.1).
        for name in (PLAYLIST_NAME, DELTA_PLAYLIST_NAME):
            storage.save(f"{prefix}/{stream}/{name}", ContentFile(closed))
    return max((sum(s.seconds for s in v) for v in kept.values()), default=0.0)


def recording_seconds(*, storage, prefix: str) -> float:
    """How long the whole recording is (of the longest rung), trimmed or not."""
    manifest = manifest_read(storage, prefix)
    return max((sum(s.seconds for s in v) for v in manifest.values()), default=0.0)


def recording_range(
    segments: list[LiveSegment], *, start: float | None, end: float | None
) -> list[LiveSegment]:
    """The segments whose middle lies between ``start`` and ``end``: every rung is cut at the
    same keyframes, since their segments start at the same instants."""
    if start is None and end is None:
        return segments
    start = start or 0.0
    end = math.inf if end is None else end
    kept, at = [], 0.0
    for segment in segments:
        middle = at + segment.seconds / 2
        if start <= middle <= end:
            kept.append(segment)
        at += segment.seconds
    return kept
