"""Courses like this one: those sharing most of its topics, then its competencies."""

from django.db.models import Count

from catalog.models import CoursePage

from .cards import CourseCard, course_cards_for_ids
from .learners import Learner

RELATED_SHOWN = 4
# Candidates read per tag kind: enough that some are live, few enough to stay one quick query.
_CANDIDATES = 24


def _sharing(course_id: int, field: str, exclude: set[int]) -> list[int]:
    """Courses sharing tags of one kind with this one, most shared first."""
    through = getattr(CoursePage, field).through
    target = CoursePage._meta.get_field(field).m2m_reverse_name()
    tags = through.objects.filter(coursepage_id=course_id).values(target)
    rows = (
        through.objects.filter(**{f"{target}__in": tags})
        .exclude(coursepage_id__in=exclude)
        .values("coursepage_id")
        .annotate(shared=Count(target))
        .order_by("-shared", "-coursepage_id")
        .values_list("coursepage_id", flat=True)[:_CANDIDATES]
    )
    return list(rows)


def course_related_cards(
    *, course_id: int, learner: Learner, request=None, limit: int = RELATED_SHOWN
) -> list[CourseCard]:
    """Live courses most like this one, as cards; a fixed number of queries."""
    picked: list[int] = []
    for field in ("topics", "competencies"):
        picked += _sharing(course_id, field, exclude={course_id, *picked})
    live = set(
        CoursePage.objects.live().public().filter(pk__in=picked).values_list("pk", flat=True)
    )
    ids = [pk for pk in picked if pk in live][:limit]
    return course_cards_for_ids(ids, learner=learner, request=request)
