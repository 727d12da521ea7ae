"""The arithmetic of watched time: ranges of seconds a learner actually played.

Pure functions, so the rules the heartbeats follow can be read and tested on their own."""

Range = tuple[float, float]


def ranges_merge(ranges) -> list[Range]:
    """Sorted ranges with overlaps and touching ranges joined."""
    merged: list[list[float]] = []
    for start, end in sorted((float(s), float(e)) for s, e in ranges if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def ranges_total(ranges) -> float:
    return sum(end - start for start, end in ranges_merge(ranges))


def ranges_clamp(ranges, duration: float) -> list[Range]:
    """Ranges cut to [0, duration]; what lies outside is dropped."""
    return [
        (max(0.0, start), min(duration, end))
        for start, end in ranges
        if min(duration, end) > max(0.0, start)
    ]


def ranges_credit(watched, played, *, allowance: float) -> tuple[list[Range], float]:
    """``watched`` joined with what ``played`` adds to it, but adding at most ``allowance``
    seconds (taken from the start of each new stretch); returns the union and the seconds
    added."""
    watched = ranges_merge(watched)
    added = 0.0
    for start, end in ranges_merge(played):
        for gap_start, gap_end in _gaps(watched, start, end):
            room = allowance - added
            if room <= 0:
                return ranges_merge(watched), added
            take = min(gap_end - gap_start, room)
            watched = ranges_merge([*watched, (gap_start, gap_start + take)])
            added += take
    return watched, added


def _gaps(watched: list[Range], start: float, end: float) -> list[Range]:
    """The parts of [start, end] not yet in ``watched`` (merged)."""
    gaps, cursor = [], start
    for w_start, w_end in watched:
        if w_end <= cursor:
            continue
        if w_start >= end:
            break
        if w_start > cursor:
            gaps.append((cursor, min(w_start, end)))
        cursor = max(cursor, w_end)
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


def watched_share(*, watched_seconds: float, duration: float) -> float:
    """The share of a video actually played (its merged watched ranges), 0–1: never where the
    playhead happens to be, which a single seek moves to the end."""
    return min(watched_seconds / duration, 1.0) if duration else 0.0
