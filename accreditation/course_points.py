"""What a course's accreditation is worth: points per register on a day, the accreditations
that are valid, and those about to end (for cards, search, rows and the course page)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Min, Subquery

from .language import in_active_language
from .models import CourseAccreditation


@dataclass(frozen=True)
class CoursePoints:
    register_id: int
    register: str  # the short name in the active language
    points: Decimal
    valid_until: date


def course_points(*, course_ids, on: date, register_ids=None) -> dict[int, list[CoursePoints]]:
    """Per course, the points it earns on a day in these registers (all registers if None),
    in the registers' order."""
    rows = CourseAccreditation.objects.valid_on(on).filter(course_id__in=course_ids)
    if register_ids is not None:
        rows = rows.filter(register_id__in=register_ids)
    points: dict[int, list[CoursePoints]] = {}
    for course_id, register_id, short_name, short_name_en, amount, valid_until in rows.order_by(
        "register__sort_order", "register__short_name"
    ).values_list(
        "course_id",
        "register_id",
        "register__short_name",
        "register__short_name_en",
        "points",
        "valid_until",
    ):
        points.setdefault(course_id, []).append(
            CoursePoints(
                register_id, in_active_language(short_name, short_name_en), amount, valid_until
            )
        )
    return points


def course_ids_expiring(*, on: date, until: date, register_ids=None, limit: int) -> list[int]:
    """Courses whose accreditation (in these registers, or any) ends between two days,
    soonest first."""
    rows = CourseAccreditation.objects.valid_on(on).filter(valid_until__lte=until)
    if register_ids is not None:
        rows = rows.filter(register_id__in=register_ids)
    ids = (
        rows.values("course_id")
        .annotate(ends=Min("valid_until"))
        .order_by("ends", "course_id")
        .values_list("course_id", flat=True)[:limit]
    )
    return list(ids)


def course_accreditations_valid(*, on: date, register_ids=None, min_points=None):
    """Accreditations valid on a day (optionally in these registers, with at least these
    points), as (course_id, register_id) rows."""
    rows = CourseAccreditation.objects.valid_on(on)
    if register_ids is not None:
        rows = rows.filter(register_id__in=register_ids)
    if min_points is not None:
        rows = rows.filter(points__gte=min_points)
    return rows.values_list("course_id", "register_id")


def course_points_most(*, course_ref, on: date, register_ids=None) -> Subquery:
    """The most points the course ``course_ref`` (an ``OuterRef``) earns on a day in one of these
    registers (any register if None); NULL when it earns none."""
    rows = CourseAccreditation.objects.valid_on(on).filter(course_id=course_ref)
    if register_ids is not None:
        rows = rows.filter(register_id__in=register_ids)
    return Subquery(rows.order_by("-points").values("points")[:1])


@dataclass(frozen=True)
class AccreditationLine:
    register: str  # Dutch, as the register writes it (exports, presence lists)
    points: Decimal
    category: str
    activity_id: str
    valid_until: date
    register_id: int = 0
    register_en: str = ""
    category_en: str = ""

    @property
    def display_register(self) -> str:
        return in_active_language(self.register, self.register_en)

    @property
    def display_category(self) -> str:
        return in_active_language(self.category, self.category_en)


def course_accreditation_lines(*, course_id: int, on: date) -> list[AccreditationLine]:
    """A course's accreditations valid on a day, per register in the registers' order."""
    rows = (
        CourseAccreditation.objects.valid_on(on)
        .filter(course_id=course_id)
        .select_related("register", "category")
    )
    return [
        AccreditationLine(
            register=row.register.short_name,
            points=row.points,
            category=row.category.name,
            activity_id=row.activity_id,
            valid_until=row.valid_until,
            register_id=row.register_id,
            register_en=row.register.short_name_en,
            category_en=row.category.name_en,
        )
        for row in rows.order_by("register__sort_order")
    ]
