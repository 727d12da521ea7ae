"""Reads of the catalog for pages and other apps."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Left, Length
from django.urls import reverse

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
class Chapter:
    start: float
    title: str

    @property
    def clock(self) -> str:
        minutes, seconds = divmod(int(self.start), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@dataclass(frozen=True)
class NextEpisode:
    url: str
    title: str


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
    chapters: tuple[Chapter, ...]
    attachments: tuple[AttachmentLink, ...]
    next_in_course: NextEpisode | None
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
    course = CoursePage.objects.get(path=EpisodePage.course_path_of(episode.path))
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
            Chapter(chapter.start.total_seconds(), chapter.title)
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
        next_in_course=NextEpisode(following.get_url(request), following.title)
        if following is not None
        else None,
        has_end_test=episode.questions.exists(),
        generation=catalog_generation() if page_cache_enabled() else None,
    )
