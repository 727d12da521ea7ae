"""Which rungs of the ladder (settings.PLAYBACK_LADDER) a source gets: never upscaled."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Rung:
    name: str
    width: int
    height: int
    video_kbps: int

    @property
    def peak_kbps(self) -> int:
        return int(self.video_kbps * settings.PLAYBACK_PEAK_FACTOR)


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def ladder_for_source(*, width: int, height: int) -> list[Rung]:
    """Rungs no taller than the source (by its short side), lowest first.

    A source smaller than the lowest rung still gets one rung at its own size.
    """
    short_side = min(width, height)
    portrait = height > width
    rungs = []
    for spec in settings.PLAYBACK_LADDER:
        if spec["height"] > short_side:
            break
        scale = spec["height"] / short_side
        rungs.append(
            Rung(
                name=spec["name"],
                width=spec["height"] if portrait else _even(width * scale),
                height=_even(height * scale) if portrait else spec["height"],
                video_kbps=spec["video_kbps"],
            )
        )
    if not rungs:
        lowest = settings.PLAYBACK_LADDER[0]
        rungs.append(
            Rung(
                name=f"{_even(short_side)}p",
                width=_even(width),
                height=_even(height),
                video_kbps=lowest["video_kbps"],
            )
        )
    return rungs
