"""I-frame playlists, for trick play and scrubbing, from the keyframes already encoded.

ffmpeg starts a fragment at every keyframe (``frag_keyframe``). As each segment is published
its keyframes are recorded: the byte range from the fragment's ``moof`` through the end of the
keyframe's data, and how long it stands. A rung's I-frame playlist names those ranges of the
segments players already fetch, so nothing is encoded or stored twice.
"""

import math
from dataclasses import dataclass

from ..layout import IFRAMES_NAME
from .fmp4 import keyframes
from .hls import SLIVER_SECONDS, iframe_playlist_render, peak_bit_rate, playlist_target_duration

# A segment's keyframes as its record keeps them: [offset, length, seconds] each.
Recorded = list[list[float]]


@dataclass(frozen=True)
class IFrame:
    init: str
    segment: str
    offset: int
    length: int
    seconds: float


def segment_keyframes(segment: bytes, init: bytes) -> Recorded:
    return [[k.offset, k.length, round(k.seconds, 6)] for k in keyframes(segment, init)]


def iframes_collect(
    *, init: str, segments: list[str], recorded: dict[str, Recorded], folder: str = ""
) -> list[IFrame] | None:
    """A rung's I-frames across the named segments, in order; None if a segment has no record
    (it was published before keyframes were recorded)."""
    prefix = f"{folder}/" if folder else ""
    found = []
    for name in segments:
        if name not in recorded:
            return None
        found += [
            IFrame(init, f"{prefix}{name}", int(offset), int(length), seconds)
            for offset, length, seconds in recorded[name]
        ]
    return found


def iframes_publish(*, write, stream: str, iframes: list[IFrame]) -> tuple[int, int]:
    """Write a rung's I-frame playlist through ``write(name, text)``; returns its peak and
    average bit rate (Apple's, over the I-frames as segments)."""
    iframes = _slivers_joined(iframes)
    write(
        f"{stream}/{IFRAMES_NAME}",
        iframe_playlist_render(
            [(f.init, f.segment, f.offset, f.length, f.seconds) for f in iframes]
        ),
    )
    sizes = [(f.seconds, f.length) for f in iframes]
    seconds = sum(s for s, _length in sizes)
    target = playlist_target_duration([s for s, _length in sizes], 1)
    average = math.ceil(sum(length * 8 for _s, length in sizes) / seconds) if seconds else 0
    return peak_bit_rate(sizes, target_duration=target), average


def _slivers_joined(iframes: list[IFrame]) -> list[IFrame]:
    """An I-frame that would stand less than SLIVER_SECONDS (a keyframe in the last frames of a
    video or a part) leaves the list; the one before stands longer instead."""
    joined: list[IFrame] = []
    for frame in iframes:
        if joined and frame.seconds < SLIVER_SECONDS:
            last = joined[-1]
            joined[-1] = IFrame(
                last.init, last.segment, last.offset, last.length, last.seconds + frame.seconds
            )
        else:
            joined.append(frame)
    return joined
