"""Course cards: what rows and search results show of a course, built in a fixed number of
queries however many cards there are."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from accreditation import api as accreditation_api
from catalog.api import COVER_SPEC, SpokenHit, rendition_url
from catalog.models import CoursePage
from playback import api as playback_api

from .learners import Learner

# Registers shown on a card when the learner has none of their own.
ANY_REGISTER_SHOWN = 2


@dataclass(frozen=True)
class CoursePoints:
    register: str
    points: Decimal


@dataclass(frozen=True)
class CourseCard:
    id: int
    title: str
    subtitle: str
    url: str
    cover_url: str | None
    duration_minutes: int
    format: str
    format_label: str
    starts_at: datetime | None
    price: Decimal
    points: tuple[CoursePoints, ...] = ()
    progress_percent: int | None = None
    note: str = ""
    resume_url: str = ""
    distance_km: float | None = None
    # Where the searched words are said in its episodes ("…'decubitus' op 4:12").
    said: tuple[SpokenHit, ...] = ()

    @property
    def is_free(self) -> bool:
        return not self.price


def course_card_queryset():
    """Live, public courses with what a card needs joined in."""
    return (
        CoursePage.objects.live()
        .public()
        .select_related("cover_image")
        .prefetch_related("cover_image__renditions")
    )


def course_cards(
    courses: Iterable[CoursePage],
    *,
    learner: Learner,
    request=None,
    notes: dict[int, str] | None = None,
    resume_urls: dict[int, str] | None = None,
    progress: dict[int, float] | None = None,
    said: dict[int, list[SpokenHit]] | None = None,
) -> list[CourseCard]:
    """Cards for courses, in the order given. ``progress`` (0–1 per course) replaces the
    course-wide progress, e.g. with an episode's for "Continue watching"."""
    courses = list(courses)
    ids = [course.pk for course in courses]
    if not ids:
        return []
    today = timezone.localdate()
    points = accreditation_api.course_points(
        course_ids=ids, on=today, register_ids=learner.register_ids
    )
    watched = (
        playback_api.watched_seconds_per_course(user_id=learner.user_id, course_ids=ids)
        if learner.is_signed_in and progress is None
        else {}
    )
    notes = notes or {}
    resume_urls = resume_urls or {}
    said = said or {}
    cards = []
    for course in courses:
        course_points = points.get(course.pk, [])
        if learner.register_ids is None:
            course_points = course_points[:ANY_REGISTER_SHOWN]
        if progress is not None:
            percent = round(progress.get(course.pk, 0) * 100)
        elif course.pk in watched and course.duration_minutes:
            percent = min(100, round(watched[course.pk] / (course.duration_minutes * 60) * 100))
        else:
            percent = None
        cover = rendition_url(course.cover_image, COVER_SPEC) if course.cover_image else None
        cards.append(
            CourseCard(
                id=course.pk,
                title=course.title,
                subtitle=course.subtitle,
                url=course.get_url(request),
                cover_url=cover,
                duration_minutes=course.duration_minutes,
                format=course.format,
                format_label=course.get_format_display(),
                starts_at=course.starts_at,
                price=course.price,
                points=tuple(CoursePoints(p.register, p.points) for p in course_points),
                progress_percent=percent,
                note=notes.get(course.pk, ""),
                resume_url=resume_urls.get(course.pk, ""),
                said=tuple(said.get(course.pk, ())),
            )
        )
    return cards


def course_cards_for_ids(ids: list[int], *, learner: Learner, request=None, **options):
    """Cards for course ids in the given order; ids of courses no longer live are skipped."""
    by_id = {course.pk: course for course in course_card_queryset().filter(pk__in=ids)}
    return course_cards(
        [by_id[pk] for pk in ids if pk in by_id], learner=learner, request=request, **options
    )
