"""Reads of the catalog for pages and other apps."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.db.models.functions import Left, Length

from playback import api as playback_api

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
    id: int
    title: str
    url: str
    minutes: int
    playable: bool
    watched_percent: int | None = None  # None: not started
    completed: bool = False


@dataclass(frozen=True)
class AccreditationLine:
    register: str
    points: Decimal
    category: str
    activity_id: str
    valid_until: date


def course_episodes(*, course: CoursePage, user_id: int | None = None) -> list[EpisodeLine]:
    """The course's live episodes in order, with how far this learner got with each."""
    episodes = list(
        EpisodePage.objects.child_of(course)
        .live()
        .public()
        .select_related("video")
        .order_by("path")
    )
    watched = (
        playback_api.episodes_watched(user_id=user_id, episode_ids=[e.pk for e in episodes])
        if user_id
        else {}
    )
    lines = []
    for episode in episodes:
        progress = watched.get(episode.pk)
        lines.append(
            EpisodeLine(
                id=episode.pk,
                title=episode.title,
                url=episode.url,
                minutes=math.ceil(episode.video.duration / 60)
                if episode.video and episode.video.duration
                else 0,
                playable=bool(episode.video and episode.video.is_playable),
                watched_percent=round(progress.fraction * 100) if progress else None,
                completed=bool(progress and progress.completed),
            )
        )
    return lines


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
