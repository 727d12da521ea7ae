"""What pages show: a course's sessions with the learner's place, the learner's registrations,
and staff's presence list."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from accreditation import api as accreditation_api
from catalog import api as catalog_api
from lms.accounts.names import surname_with_prefix

from .attendance import PresenceFacts, presence_explained, presence_facts
from .invitations import session_location
from .models import Attendance, LiveSession, SessionRegistration
from .registration import waiting_position

Status = SessionRegistration.Status
# Staff who hold sessions watch (and take part) without a place of their own.
WATCH_STAFF_PERMISSIONS = ("live.moderate_session", "live.manage_stream")


def session_viewer_may_watch(user, session) -> bool:
    """Whether this person may open the session's watch page and take part (questions). A
    learner's place is one query; staff's permissions are read only for those without one."""
    if not user.is_authenticated:
        return False
    registered = SessionRegistration.objects.filter(
        session_id=session.pk, user=user, status=Status.REGISTERED
    ).exists()
    return registered or any(user.has_perm(permission) for permission in WATCH_STAFF_PERMISSIONS)


@dataclass(frozen=True)
class SessionOffer:
    """One session of a course as its page offers it to the learner looking."""

    id: int
    starts_at: datetime
    ends_at: datetime
    location: str
    capacity: int | None
    places_left: int | None
    waiting: int
    registration_open: bool
    registration_deadline: datetime
    cancel_deadline: datetime
    can_cancel: bool
    provider_url: str  # the redirect that records the learner going to the provider
    status: str  # the learner's: "registered", "waiting", or "" for none
    waiting_position: int | None = None
    outcome: "LearnerOutcome | None" = None


@dataclass(frozen=True)
class LearnerOutcome:
    met: bool
    explained: list[str]
    points: list[accreditation_api.SessionAward] = field(default_factory=list)


def _outcome(registration: SessionRegistration) -> LearnerOutcome | None:
    attendance = getattr(registration, "attendance", None)
    if not registration.session.is_closed or attendance is None or not attendance.outcome:
        return None
    facts = PresenceFacts(
        attendance.minutes_planned or 0,
        attendance.minutes_present or 0,
        attendance.checks_held or 0,
        attendance.checks_answered or 0,
    )
    return LearnerOutcome(
        met=attendance.outcome == Attendance.Outcome.MET,
        explained=presence_explained(facts=facts, rule=registration.session.rule),
        points=accreditation_api.session_awards(
            session_id=registration.session_id, user_id=registration.user_id
        ),
    )


def _sessions_counted(queryset):
    return queryset.annotate(
        taken=Count("registrations", filter=Q(registrations__status=Status.REGISTERED)),
        waiting=Count("registrations", filter=Q(registrations__status=Status.WAITING)),
    )


def course_sessions_offered(*, course_id: int, user, now: datetime | None = None):
    """The course's sessions still to come (and any the learner attended), soonest first."""
    now = now or timezone.now()
    mine = {}
    if user.is_authenticated:
        mine = {
            registration.session_id: registration
            for registration in SessionRegistration.objects.filter(
                user=user, session__course_id=course_id
            )
            .exclude(status=Status.CANCELLED)
            .select_related("session__rule", "attendance")
        }
    sessions = _sessions_counted(
        LiveSession.objects.filter(course_id=course_id)
        .filter(Q(ends_at__gt=now, state=LiveSession.State.SCHEDULED) | Q(pk__in=list(mine)))
        .select_related("rule")
        .order_by("starts_at", "pk")
    )
    course = catalog_api.course_event_facts([course_id]).get(course_id)
    offers = []
    for session in sessions:
        registration = mine.get(session.pk)
        status = registration.status if registration else ""
        places_left = None if session.capacity is None else max(0, session.capacity - session.taken)
        open_ = (
            not session.is_closed
            and not session.registration_url
            and now < session.registration_deadline
        )
        deadline = session.cancel_deadline if status == Status.REGISTERED else session.starts_at
        offers.append(
            SessionOffer(
                id=session.pk,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                location=session_location(session, course),
                capacity=session.capacity,
                places_left=places_left,
                waiting=session.waiting,
                registration_open=open_,
                registration_deadline=session.registration_deadline,
                cancel_deadline=session.cancel_deadline,
                can_cancel=bool(status) and not session.is_closed and now < deadline,
                provider_url=session.registration_url
                and reverse("live:provider_redirect", args=[session.pk]),
                status=status,
                waiting_position=waiting_position(registration)
                if status == Status.WAITING
                else None,
                outcome=_outcome(registration) if registration else None,
            )
        )
    return offers


@dataclass(frozen=True)
class MyRegistration:
    session_id: int
    course_title: str
    course_url: str
    starts_at: datetime
    ends_at: datetime
    location: str
    status: str
    waiting_position: int | None
    can_cancel: bool
    closed: bool
    outcome: LearnerOutcome | None


def registrations_of(*, user, now: datetime | None = None, past_days: int = 120):
    """The learner's registrations: coming ones first (soonest first), then those of the past
    months, most recent first, with what their presence earned."""
    now = now or timezone.now()
    registrations = list(
        SessionRegistration.objects.filter(
            user=user, session__ends_at__gte=now - timedelta(days=past_days)
        )
        .exclude(status=Status.CANCELLED)
        .select_related("session__rule", "attendance")
    )
    courses = catalog_api.course_event_facts({r.session.course_id for r in registrations})
    rows = []
    for registration in registrations:
        session = registration.session
        course = courses.get(session.course_id)
        deadline = (
            session.cancel_deadline
            if registration.status == Status.REGISTERED
            else session.starts_at
        )
        rows.append(
            MyRegistration(
                session_id=session.pk,
                course_title=course.title if course else "",
                course_url=course.url if course else "",
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                location=session_location(session, course),
                status=registration.status,
                waiting_position=waiting_position(registration)
                if registration.status == Status.WAITING
                else None,
                can_cancel=not session.is_closed and now < deadline,
                closed=session.is_closed,
                outcome=_outcome(registration),
            )
        )
    coming = sorted((r for r in rows if r.ends_at >= now), key=lambda r: r.starts_at)
    past = sorted((r for r in rows if r.ends_at < now), key=lambda r: r.starts_at, reverse=True)
    return coming + past


@dataclass(frozen=True)
class PresenceLine:
    """One learner on staff's presence list."""

    registration_id: int
    name: str
    sort_name: str
    profession: str
    big_number: str
    present: bool | None
    late_minutes: int
    left_early_minutes: int
    checked_in_at: datetime | None
    minutes_online: int
    checks_answered: int
    met: bool | None  # None until the session is closed
    explained: list[str]


def presence_list(*, session: LiveSession) -> list[PresenceLine]:
    """Everyone with a place, sorted by surname, with what is known of their presence and,
    once closed, what the rule decided."""
    registrations = list(
        session.registrations.filter(status=Status.REGISTERED).select_related("user", "attendance")
    )
    listings = accreditation_api.learner_listings(user_ids=[r.user_id for r in registrations])
    held = list(session.checks.filter(opens_at__lte=timezone.now()).values_list("pk", flat=True))
    answered = dict(
        session.checks.filter(pk__in=held)
        .values("answers__user_id")
        .annotate(count=Count("answers"))
        .values_list("answers__user_id", "count")
    )
    lines = []
    for registration in registrations:
        user, attendance = registration.user, getattr(registration, "attendance", None)
        listing = listings.get(user.pk)
        if session.is_closed and attendance is not None and attendance.outcome:
            facts = PresenceFacts(
                attendance.minutes_planned or 0,
                attendance.minutes_present or 0,
                attendance.checks_held or 0,
                attendance.checks_answered or 0,
            )
        else:
            facts = presence_facts(
                session=session,
                attendance=attendance,
                answered=answered.get(user.pk, 0),
                held=len(held),
            )
        lines.append(
            PresenceLine(
                registration_id=registration.pk,
                name=" ".join(
                    (
                        user.initials_stated,
                        surname_with_prefix(
                            surname_prefix=user.surname_prefix, last_name=user.last_name
                        ),
                    )
                ).strip()
                or user.email,
                sort_name=f"{user.last_name} {user.first_name}".casefold(),
                profession=listing.profession if listing else "",
                big_number=listing.big_number if listing else "",
                present=attendance.present if attendance else None,
                late_minutes=attendance.late_minutes if attendance else 0,
                left_early_minutes=attendance.left_early_minutes if attendance else 0,
                checked_in_at=attendance.checked_in_at if attendance else None,
                minutes_online=attendance.minutes_online if attendance else 0,
                checks_answered=facts.checks_answered,
                met=(attendance.outcome == Attendance.Outcome.MET)
                if session.is_closed and attendance and attendance.outcome
                else None,
                explained=presence_explained(facts=facts, rule=session.rule),
            )
        )
    return sorted(lines, key=lambda line: line.sort_name)


def registration_with_place_get(*, session_id: int, user) -> SessionRegistration | None:
    return (
        SessionRegistration.objects.filter(
            session_id=session_id, user=user, status=Status.REGISTERED
        )
        .select_related("session", "user")
        .first()
    )


@dataclass(frozen=True)
class CheckLine:
    id: int
    kind: str
    question: str
    opens_at: datetime
    closes_at: datetime
    answers: int
    state: str  # "planned", "open" or "closed"


def session_checks(*, session: LiveSession, now: datetime | None = None) -> list[CheckLine]:
    """The session's presence checks with how many answered, for the moderator."""
    now = now or timezone.now()
    checks = session.checks.annotate(answered=Count("answers")).order_by("opens_at", "pk")
    return [
        CheckLine(
            check.pk,
            check.kind,
            check.question or str(check.get_kind_display()),
            check.opens_at,
            check.closes_at,
            check.answered,
            "planned" if now < check.opens_at else "open" if now < check.closes_at else "closed",
        )
        for check in checks
    ]
