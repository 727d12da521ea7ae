"""Reads of the catalog for pages and other apps."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .models import CoursePage, EpisodePage


@dataclass(frozen=True)
class EpisodeLine:
    title: str
    url: str
    minutes: int
    playable: bool


@dataclass(frozen=True)
class AccreditationLine:
    register: str
    points: Decimal
    category: str
    activity_id: str
    valid_until: date


def course_episodes(*, course: CoursePage) -> list[EpisodeLine]:
    episodes = (
        EpisodePage.objects.child_of(course)
        .live()
        .public()
        .select_related("video")
        .order_by("path")
    )
    return [
        EpisodeLine(
            title=episode.title,
            url=episode.url,
            minutes=math.ceil(episode.video.duration / 60)
            if episode.video and episode.video.duration
            else 0,
            playable=bool(episode.video and episode.video.is_playable),
        )
        for episode in episodes
    ]


def course_accreditations(*, course: CoursePage, on: date) -> list[AccreditationLine]:
    """The accreditations valid on a day, per register."""
    rows = course.accreditations.filter(valid_from__lte=on, valid_until__gte=on).select_related(
        "register", "category"
    )
    return [
        AccreditationLine(
            register=row.register.short_name,
            points=row.points,
            category=row.category.name,
            activity_id=row.activity_id,
            valid_until=row.valid_until,
        )
        for row in rows.order_by("register__sort_order")
    ]
