"""Lengths as the catalog shows them: whole minutes, rounded up, so a 61-second lecture is 2."""

import math


def minutes_from_seconds(seconds: float | None) -> int:
    return math.ceil(seconds / 60) if seconds else 0


def clock_from_seconds(seconds: float) -> str:
    """A moment in a video as people write it: "4:12", or "1:02:03" past the hour."""
    minutes, whole = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{whole:02d}" if hours else f"{minutes}:{whole:02d}"
