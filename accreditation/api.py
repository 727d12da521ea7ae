"""What other apps may ask of accreditation."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Max, Min, Q, Subquery

from .certificates.services import certificate_issue
from .evaluation import PointsEvaluation, RuleOutcome, Status, WorkHoursEvaluation
from .ledger.services import course_completion_award
from .models import CourseAccreditation, ProfessionalProfile, Register, Registration
from .profiles.services import learner_named
from .standing.evaluations import RegisterEvaluation
from .standing.evaluations import register_evaluations as _register_evaluations

__all__ = [
    "PointsEvaluation",
    "RegisterEvaluation",
    "RegisterShortfall",
    "RuleOutcome",
    "Status",
    "WorkHoursEvaluation",
    "course_completed",
    "course_ids_for_shortfalls",
    "learner_named",
    "register_evaluations",
    "register_shortfalls",
]

# Set in the session once a learner has a name and a profile, so the check costs no query
# afterwards. Named anew when onboarding asks for more, so every learner is checked again.
ONBOARDED_SESSION_KEY = "leerstroom_onboarded_named"


@dataclass(frozen=True)
class LearnerProfile:
    profession_id: int
    profession_slug: str
    profession_name: str
    big_number: str
    register_ids: tuple[int, ...]


def learner_profile_exists(*, user_id: int) -> bool:
    return ProfessionalProfile.objects.filter(user_id=user_id).exists()


def learner_profile_get(*, user_id: int) -> LearnerProfile | None:
    profile = (
        ProfessionalProfile.objects.select_related("profession").filter(user_id=user_id).first()
    )
    if profile is None:
        return None
    register_ids = tuple(
        Registration.objects.filter(user_id=user_id).values_list("register_id", flat=True)
    )
    return LearnerProfile(
        profession_id=profile.profession_id,
        profession_slug=profile.profession.slug,
        profession_name=profile.profession.display_name,
        big_number=profile.big_number,
        register_ids=register_ids,
    )


@dataclass(frozen=True)
class CoursePoints:
    register_id: int
    register: str
    points: Decimal
    valid_until: date


def course_points(*, course_ids, on: date, register_ids=None) -> dict[int, list[CoursePoints]]:
    """Per course, the points it earns on a day in these registers (all registers if None),
    in the registers' order."""
    rows = CourseAccreditation.objects.valid_on(on).filter(course_id__in=course_ids)
    if register_ids is not None:
        rows = rows.filter(register_id__in=register_ids)
    points: dict[int, list[CoursePoints]] = {}
    for course_id, register_id, short_name, amount, valid_until in rows.order_by(
        "register__sort_order", "register__short_name"
    ).values_list("course_id", "register_id", "register__short_name", "points", "valid_until"):
        points.setdefault(course_id, []).append(
            CoursePoints(register_id, short_name, amount, valid_until)
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


def learner_ids_with_profession(*, profession_id: int):
    """The learners who hold a profession, as a subquery of user ids."""
    return ProfessionalProfile.objects.filter(profession_id=profession_id).values("user_id")


@dataclass(frozen=True)
class RegisterData:
    id: int
    slug: str
    short_name: str
    name: str


def register_list() -> list[RegisterData]:
    return [
        RegisterData(register.id, register.slug, register.short_name, register.name)
        for register in Register.objects.order_by("sort_order", "short_name")
    ]


# Lazy queries other apps may use inside their own (as subqueries), so a catalog search stays
# one round trip however many courses it matches.


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


def course_completed(*, user_id: int, course_id: int, completed_at: datetime) -> None:
    """A learner completed a course: award its points in each register they are in where it is
    accredited on that day, and issue its certificate. Idempotent: report a completion as often
    as needed."""
    course_completion_award(user_id=user_id, course_id=course_id, completed_at=completed_at)
    certificate_issue(user_id=user_id, course_id=course_id, completed_at=completed_at)


def register_evaluations(*, user_id: int, on: date) -> tuple[RegisterEvaluation, ...]:
    """The learner's standing per register on a day: ``PointsEvaluation`` for point registers,
    ``WorkHoursEvaluation`` for BIG."""
    return tuple(_register_evaluations(user_id=user_id, on=on))


@dataclass(frozen=True)
class RegisterShortfall:
    register_id: int
    register: str
    points_needed: Decimal
    # Extra points in these categories count toward what is needed.
    category_ids: frozenset[int]


def register_shortfalls(*, user_id: int, on: date) -> list[RegisterShortfall]:
    """Per point register the learner is in: the points still needed and where they count."""
    return [
        RegisterShortfall(
            evaluation.register_id,
            evaluation.register,
            evaluation.points_needed,
            evaluation.counting_category_ids,
        )
        for evaluation in _register_evaluations(user_id=user_id, on=on)
        if isinstance(evaluation, PointsEvaluation)
    ]


def course_ids_for_shortfalls(
    *, shortfalls: list[RegisterShortfall], on: date, limit: int, exclude=()
) -> list[int]:
    """Courses accredited on a day in a category that counts toward a register's shortfall,
    most points first."""
    wanted = Q(pk__in=[])
    for shortfall in shortfalls:
        if shortfall.points_needed > 0 and shortfall.category_ids:
            wanted |= Q(register_id=shortfall.register_id, category_id__in=shortfall.category_ids)
    rows = (
        CourseAccreditation.objects.valid_on(on)
        .filter(wanted)
        .exclude(course_id__in=list(exclude))
        .values("course_id")
        .annotate(most=Max("points"))
        .order_by("-most", "course_id")
        .values_list("course_id", flat=True)[:limit]
    )
    return list(rows)


@dataclass(frozen=True)
class AccreditationLine:
    register: str
    points: Decimal
    category: str
    activity_id: str
    valid_until: date


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
        )
        for row in rows.order_by("register__sort_order")
    ]
