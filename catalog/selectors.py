"""Reads of the catalog for pages and other apps."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.db.models.functions import Left, Length

from .models import CoursePage, EpisodePage


def episodes_of(course_paths) -> QuerySet:
    """The episodes (live or not) under these courses, each with its ``course_path``; the tree
    paths are matched as index ranges."""
    course_paths = list(course_paths)
    if not course_paths:
        return EpisodePage.objects.none()
    step = EpisodePage.steplen
    under = Q()
    for path in course_paths:
        under |= Q(path__range=(path + "0" * step, path + "Z" * step))
    depths = {len(path) // step + 1 for path in course_paths}
    return EpisodePage.objects.filter(under, depth__in=depths).annotate(
        course_path=Left("path", Length("path") - step)
    )


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
