"""What other apps may ask of discovery: course cards as the catalog shows them, cover crops,
and the courses beyond a learner's comfort zone."""

from .cards import course_card_queryset
from .cards import course_cards_for_ids as _course_cards_for_ids
from .course_page import Completion, CoursePageView, SpeakerLine
from .course_page import course_completion as _course_completion
from .course_page import course_episodes as course_episodes
from .course_page import course_page_view as _course_page_view
from .course_page import course_speakers as course_speakers
from .learners import learner_for
from .related import course_related_cards as _course_related_cards
from .rows import comfort_zone_courses, home_rows


def course_cards_for_ids(ids: list[int], *, request):
    """Cards (plain data) for live courses, in the order given, as the catalog shows them."""
    return _course_cards_for_ids(ids, learner=learner_for(request), request=request)


def course_cover_squares(course_ids, *, size: int) -> dict[int, bytes]:
    """Square crops (around the focal point) of these courses' covers, as PNG bytes."""
    squares = {}
    for course in course_card_queryset().filter(pk__in=list(course_ids)):
        if course.cover_image is None:
            continue
        rendition = course.cover_image.get_rendition(f"fill-{size}x{size}|format-png")
        with rendition.file.open("rb") as handle:
            squares[course.pk] = handle.read()
    return squares


def course_ids_beyond_comfort_zone(
    *, user_id: int, profession_id: int | None, limit: int
) -> list[int]:
    """Courses in the competencies this learner has watched least (see the home page row)."""
    picked = comfort_zone_courses(user_id=user_id, profession_id=profession_id, limit=limit)
    return picked.course_ids if picked else []


def home_rows_for(*, request):
    """The home page's hero and rows for the learner behind the request."""
    return home_rows(learner=learner_for(request), request=request)


def course_page_view(*, course, request) -> CoursePageView:
    """What the course page shows the learner behind the request (or a visitor)."""
    return _course_page_view(course=course, user=request.user, learner=learner_for(request))


def course_related_cards(*, course_id: int, request, limit: int = 4):
    """Cards of live courses most like this one (shared topics, then competencies)."""
    return _course_related_cards(
        course_id=course_id, learner=learner_for(request), request=request, limit=limit
    )


def course_completion(*, course_id: int, request) -> Completion | None:
    """The completion of a course by the learner behind the request, with what it earned."""
    return _course_completion(course_id=course_id, learner=learner_for(request))


__all__ = [
    "Completion",
    "CoursePageView",
    "SpeakerLine",
    "course_completion",
    "course_cover_squares",
    "course_episodes",
    "course_ids_beyond_comfort_zone",
    "course_page_view",
    "course_related_cards",
    "course_speakers",
    "home_rows_for",
]
