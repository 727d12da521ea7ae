"""Lengths as the catalog shows them: whole minutes, rounded up, so a 61-second lecture is 2."""

import math


def minutes_from_seconds(seconds: float | None) -> int:
    return math.ceil(seconds / 60) if seconds else 0
