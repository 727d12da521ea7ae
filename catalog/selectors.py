"""Reads of the catalog for pages and other apps."""

from dataclasses import dataclass

from .models import CoursePage

COVER_SPEC = "fill-640x360|format-webp"


@dataclass(frozen=True)
class CourseCard:
    id: int
    title: str
    subtitle: str
    url: str
    cover_url: str | None
    duration_minutes: int


def _course_card(course: CoursePage) -> CourseCard:
    cover = course.cover_image.get_rendition(COVER_SPEC).url if course.cover_image else None
    return CourseCard(
        id=course.id,
        title=course.title,
        subtitle=course.subtitle,
        url=course.url,
        cover_url=cover,
        duration_minutes=course.duration_minutes,
    )


def course_cards_newest(*, limit: int) -> list[CourseCard]:
    courses = (
        CoursePage.objects.live()
        .public()
        .select_related("cover_image")
        .prefetch_related("cover_image__renditions")
        .order_by("-first_published_at", "-id")[:limit]
    )
    return [_course_card(course) for course in courses]


def course_cards_search(*, query: str) -> list[CourseCard]:
    courses = (
        CoursePage.objects.live()
        .public()
        .select_related("cover_image")
        .prefetch_related("cover_image__renditions")
    )
    courses = courses.search(query) if query else courses.order_by("title")
    return [_course_card(course) for course in courses]
