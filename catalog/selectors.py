"""Reads of the catalog for pages and other apps."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.db.models.functions import Left, Length
from django.urls import reverse

from playback import api as playback_api

from .generation import cached_read, catalog_generation, page_cache_enabled
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


@dataclass(frozen=True)
class CourseLink:
    id: int
    title: str
    url: str
    free: bool


@dataclass(frozen=True)
class AttachmentLink:
    title: str
    url: str


@dataclass(frozen=True)
class EpisodeFacts:
    """What an episode page shows every learner alike."""

    course: CourseLink
    chapters: tuple["playback_api.Chapter", ...]
    attachments: tuple[AttachmentLink, ...]
    next_in_course: "playback_api.NextEpisode | None"
    has_end_test: bool
    # The catalog generation these were read in; None when the page cache is off.
    generation: int | None = None


def episode_facts(*, episode: EpisodePage, request) -> EpisodeFacts:
    """Cached under the catalog generation; the next episode follows its video's readiness
    within a minute."""
    return cached_read(
        "episode", f"{episode.pk}:{request.get_host()}", lambda: _episode_facts(episode, request)
    )


def _episode_facts(episode: EpisodePage, request) -> EpisodeFacts:
    course = CoursePage.objects.get(path=episode.path[: -EpisodePage.steplen])
    # Siblings share the course's view restrictions, which Wagtail checked for this page.
    following = (
        EpisodePage.objects.sibling_of(episode, inclusive=False)
        .live()
        .filter(path__gt=episode.path, video__published_generation__isnull=False)
        .order_by("path")
        .first()
    )
    return EpisodeFacts(
        course=CourseLink(course.pk, course.title, course.get_url(request), course.is_free),
        chapters=tuple(
            playback_api.Chapter(chapter.start.total_seconds(), chapter.title)
            for chapter in episode.chapters.all()
        ),
        # One link for every learner: the download view checks access when it is followed.
        attachments=tuple(
            AttachmentLink(
                str(attachment),
                reverse("playback:document", kwargs={"document_id": attachment.document_id}),
            )
            for attachment in episode.attachments.select_related("document")
        ),
        next_in_course=playback_api.NextEpisode(following.get_url(request), following.title)
        if following is not None
        else None,
        has_end_test=episode.questions.exists(),
        generation=catalog_generation() if page_cache_enabled() else None,
    )


def episode_player(*, episode: EpisodePage, facts: EpisodeFacts, request) -> "playback_api.Player":
    """The player for an episode page: the next episode is the course's, or during "play all"
    (``?leerpad=``) the path's."""
    next_episode = facts.next_in_course
    path_id = request.GET.get("leerpad", "")
    if path_id.isdigit() and request.user.is_authenticated:
        from playlists import api as playlists_api

        following = playlists_api.path_next_episode(
            user=request.user, path_id=int(path_id), episode_id=episode.pk, request=request
        )
        next_episode = (
            playback_api.NextEpisode(following.url, following.title) if following else None
        )
    return playback_api.player_for(
        user=request.user,
        episode_id=episode.pk,
        course_id=facts.course.id,
        video_id=episode.video_id,
        free=facts.course.free,
        chapters=list(facts.chapters),
        next_episode=next_episode,
        requested_start=request.GET.get("t"),
    )
