"""What other apps may ask of accreditation."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Max, Q
from django.urls import reverse

from .certificates.services import certificate_issue
from .course_points import AccreditationLine as AccreditationLine
from .course_points import CoursePoints as CoursePoints
from .course_points import course_accreditation_lines as course_accreditation_lines
from .course_points import course_accreditations_valid as course_accreditations_valid
from .course_points import course_ids_expiring as course_ids_expiring
from .course_points import course_points as course_points
from .course_points import course_points_most as course_points_most
from .deadlines.feed import CalendarEventSource as CalendarEventSource
from .deadlines.feed import calendar_event_source_add as calendar_event_source_add
from .evaluation import PointsEvaluation, RuleOutcome, Status, WorkHoursEvaluation
from .exports.attendance import AttendanceRow as AttendanceRow
from .exports.attendance import attendance_header as attendance_header
from .exports.attendance import course_attendance_rows
from .exports.csv_stream import attendance_cells as attendance_cells
from .exports.csv_stream import csv_stream as csv_stream
from .language import in_active_language
from .ledger.services import course_completion_award
from .models import (
    Certificate,
    CourseAccreditation,
    LedgerEntry,
    ProfessionalProfile,
    Register,
    Registration,
)
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


def onboarding_exempt(view):
    """A view the onboarding form never stands in front of, so that nothing looks up who is
    signed in before the view must (a live session's question list, read without a query)."""
    view.onboarding_exempt = True
    return view


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


def learner_ids_with_profession(*, profession_id: int):
    """The learners who hold a profession, as a subquery of user ids."""
    return ProfessionalProfile.objects.filter(profession_id=profession_id).values("user_id")


@dataclass(frozen=True)
class RegisterData:
    id: int
    slug: str
    short_name: str  # Dutch, as the register writes it (exports, presence lists)
    name: str
    counts_points: bool = True  # False: BIG, which counts work hours
    short_name_en: str = ""

    @property
    def display_short_name(self) -> str:
        return in_active_language(self.short_name, self.short_name_en)


def register_list() -> list[RegisterData]:
    return [
        RegisterData(
            register.id,
            register.slug,
            register.short_name,
            register.name,
            register.kind == Register.Kind.POINTS,
            register.short_name_en,
        )
        for register in Register.objects.order_by("sort_order", "short_name")
    ]


# Lazy queries other apps may use inside their own (as subqueries), so a catalog search stays
# one round trip however many courses it matches.


def course_completed(*, user_id: int, course_id: int, completed_at: datetime) -> None:
    """A learner completed a course: award its points in each register they are in where it is
    accredited on that day, and issue its certificate. Idempotent: report a completion as often
    as needed."""
    course_completion_award(user_id=user_id, course_id=course_id, completed_at=completed_at)
    certificate_issue(user_id=user_id, course_id=course_id, completed_at=completed_at)


def session_attended(
    *, user_id: int, course_id: int, session_id: int, attended_at: datetime
) -> None:
    """A learner attended a session of a course (live online or in a room) as its presence
    rule asks: award the course's points for that session in each register they are in where
    it is accredited on that day, and issue the course's certificate. Idempotent: one award per
    learner, session and register, however often it is reported."""
    course_completion_award(
        user_id=user_id, course_id=course_id, completed_at=attended_at, session_id=session_id
    )
    certificate_issue(user_id=user_id, course_id=course_id, completed_at=attended_at)


@dataclass(frozen=True)
class SessionAward:
    user_id: int
    register_id: int
    register: str
    points: Decimal


def session_awards(*, session_id: int, user_id: int | None = None) -> list[SessionAward]:
    """The points standing for attending a session (corrections left out), per learner and
    register in the registers' order; one learner's with ``user_id``."""
    awards = LedgerEntry.objects.filter(
        session_id=session_id,
        kind=LedgerEntry.Kind.AWARD,
        reversed_by__isnull=True,
        replaced_by__isnull=True,
    )
    if user_id is not None:
        awards = awards.filter(user_id=user_id)
    rows = awards.order_by("user_id", "register__sort_order", "register__short_name").values_list(
        "user_id", "register_id", "register__short_name", "points"
    )
    return [SessionAward(*row) for row in rows]


def session_attendance_rows(*, course_id: int, session_id: int, register_id: int):
    """The attendance list of one session for one register: every learner awarded its points
    there, with the columns registers ask for (``attendance_header``)."""
    return course_attendance_rows(
        course_id=course_id, register_id=register_id, session_id=session_id
    )


@dataclass(frozen=True)
class LearnerListing:
    """What a presence list shows of a learner besides the name."""

    profession: str
    big_number: str


def learner_listings(*, user_ids) -> dict[int, LearnerListing]:
    rows = ProfessionalProfile.objects.filter(user_id__in=list(user_ids)).values_list(
        "user_id", "profession__name", "big_number"
    )
    return {user_id: LearnerListing(*listing) for user_id, *listing in rows}


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
class CourseAward:
    register: str  # the short name in the active language
    points: Decimal


def course_awards(*, user_id: int, course_id: int) -> list[CourseAward]:
    """The points a learner holds for completing a course, per register (awards staff reversed
    left out), in the registers' order."""
    awards = (
        LedgerEntry.objects.filter(
            user_id=user_id,
            course_id=course_id,
            kind=LedgerEntry.Kind.AWARD,
            reversed_by__isnull=True,
            replaced_by__isnull=True,
        )
        .order_by("register__sort_order", "register__short_name")
        .values_list("register__short_name", "register__short_name_en", "points")
    )
    return [
        CourseAward(in_active_language(register, register_en), points)
        for register, register_en, points in awards
    ]


@dataclass(frozen=True)
class CourseCertificate:
    url: str  # the PDF; empty while it waits for the learner's name
    waits_for_name: bool = False


def course_certificate(*, user_id: int, course_id: int) -> CourseCertificate | None:
    """The learner's standing certificate for a course, or that it waits for their name (a
    certificate is made out to a name); None when there is none and none is waiting."""
    certificate = (
        Certificate.objects.filter(user_id=user_id, course_id=course_id, revoked_at__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )
    if certificate is not None:
        return CourseCertificate(
            reverse("accreditation:certificate_pdf", kwargs={"certificate_id": certificate})
        )
    if Certificate.objects.filter(user_id=user_id, course_id=course_id).exists():
        return None  # revoked by staff
    named = (
        get_user_model().objects.filter(pk=user_id).values_list("first_name", "last_name").first()
    )
    if named is not None and not all(part.strip() for part in named):
        return CourseCertificate("", waits_for_name=True)
    return None
