"""What the presence rule decides, and closing a session: the rule is applied to what is known
of each registered learner, the outcome kept, and those who met it get their points through
accreditation, once per learner, session and register."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accreditation import api as accreditation_api

from . import presence_buffer
from .models import (
    Attendance,
    LiveSession,
    PresenceCheckAnswer,
    PresenceRule,
    SessionRegistration,
)


@dataclass(frozen=True)
class PresenceFacts:
    minutes_planned: int
    minutes_present: int
    checks_held: int = 0
    checks_answered: int = 0


@dataclass(frozen=True)
class PresenceDecision:
    met: bool
    minutes_needed: int
    checks_needed: int
    short_of_minutes: bool
    short_of_checks: bool


def presence_decide(*, rule: PresenceRule, facts: PresenceFacts) -> PresenceDecision:
    """The rule applied to one learner, in whole numbers so 2 of 3 checks against 66 % is
    exact: present at least the rule's share of the planned minutes and, for presence checks,
    answered at least its share of the checks held."""
    minutes_needed = -(-facts.minutes_planned * rule.min_presence_percent // 100)
    short_of_minutes = facts.minutes_present < minutes_needed
    checks_needed = 0
    if rule.method == PresenceRule.Method.CHECKS and facts.checks_held:
        checks_needed = -(-facts.checks_held * rule.min_checks_percent // 100)
    short_of_checks = facts.checks_answered < checks_needed
    return PresenceDecision(
        met=not (short_of_minutes or short_of_checks),
        minutes_needed=minutes_needed,
        checks_needed=checks_needed,
        short_of_minutes=short_of_minutes,
        short_of_checks=short_of_checks,
    )


def presence_facts(
    *, session: LiveSession, attendance: Attendance | None, answered: int, held: int
) -> PresenceFacts:
    """What is known of one learner: staff's marks where staff confirm presence, else the
    minutes the live player reported in."""
    planned = session.planned_minutes
    if session.rule.staff_confirm:
        if attendance is None or not attendance.present:
            present = 0
        else:
            missed = attendance.late_minutes + attendance.left_early_minutes
            present = max(0, planned - missed)
        return PresenceFacts(planned, present)
    online = attendance.minutes_online if attendance is not None else 0
    return PresenceFacts(planned, min(online, planned), held, answered)


def _with_need(text: str, *, short: bool, needed: int) -> str:
    return f"{text} {_('(%(needed)s needed)') % {'needed': needed}}" if short else text


def presence_explained(*, facts: PresenceFacts, rule: PresenceRule) -> list[str]:
    """In words, for the learner and the list: "present 41 of 90 minutes", and the checks."""
    decision = presence_decide(rule=rule, facts=facts)
    minutes = ngettext(
        "present %(present)s of %(planned)s minute",
        "present %(present)s of %(planned)s minutes",
        facts.minutes_planned,
    ) % {"present": facts.minutes_present, "planned": facts.minutes_planned}
    lines = [_with_need(minutes, short=decision.short_of_minutes, needed=decision.minutes_needed)]
    if rule.method == PresenceRule.Method.CHECKS:
        checks = ngettext(
            "%(answered)s of %(held)s check answered",
            "%(answered)s of %(held)s checks answered",
            facts.checks_held,
        ) % {"answered": facts.checks_answered, "held": facts.checks_held}
        lines.append(
            _with_need(checks, short=decision.short_of_checks, needed=decision.checks_needed)
        )
    return lines


def _checks_answered(*, held_ids: list[int]) -> dict[int, int]:
    """Per learner, how many of the checks held they answered (only answers in time are kept)."""
    rows = (
        PresenceCheckAnswer.objects.filter(presence_check_id__in=held_ids)
        .values("user_id")
        .annotate(count=Count("pk"))
        .values_list("user_id", "count")
    )
    return dict(rows)


def _closing_refusal(session: LiveSession, now: datetime) -> str | None:
    if session.is_closed:
        when = formats.date_format(timezone.localtime(session.closed_at), "j F Y, H:i")
        return _("This session was already closed on %(when)s; its presence is final.") % {
            "when": when
        }
    if now < session.starts_at:
        return _("The session has not started yet, so there is no presence to decide.")
    return None


@transaction.atomic
def session_close(*, session_id: int, by=None, now: datetime | None = None) -> LiveSession:
    """Decide each registered learner's presence by the session's rule, keep the outcome and
    award the points of those who met it. Refused for a session already closed: its outcomes
    stand, and nothing is counted twice (the awards are idempotent besides)."""
    now = now or timezone.now()
    session = LiveSession.objects.select_for_update().select_related("rule").get(pk=session_id)
    refusal = _closing_refusal(session, now)
    if refusal:
        raise ValidationError(refusal, code="session_closed")
    if presence_buffer.buffering_enabled():
        # Beats are refused from here on, and every minute counted in Redis is read first.
        presence_buffer.session_closed_mark(session.pk)
        presence_buffer.session_minutes_merge(session)
    held_ids = list(session.checks.filter(opens_at__lte=now).values_list("pk", flat=True))
    answered = _checks_answered(held_ids=held_ids)
    registrations = session.registrations.filter(
        status=SessionRegistration.Status.REGISTERED
    ).select_related("attendance")
    attendees = []
    for registration in registrations:
        attendance = getattr(registration, "attendance", None)
        facts = presence_facts(
            session=session,
            attendance=attendance,
            answered=answered.get(registration.user_id, 0),
            held=len(held_ids),
        )
        decision = presence_decide(rule=session.rule, facts=facts)
        if attendance is None:
            attendance = Attendance(registration=registration)
        attendance.outcome = Attendance.Outcome.MET if decision.met else Attendance.Outcome.NOT_MET
        attendance.minutes_planned = facts.minutes_planned
        attendance.minutes_present = facts.minutes_present
        attendance.checks_held = facts.checks_held
        attendance.checks_answered = facts.checks_answered
        attendance.save()
        if decision.met:
            attendees.append(registration.user_id)
    session.state = LiveSession.State.CLOSED
    session.closed_at, session.closed_by = now, by
    session.save(update_fields=["state", "closed_at", "closed_by"])
    for user_id in attendees:
        accreditation_api.session_attended(
            user_id=user_id,
            course_id=session.course_id,
            session_id=session.pk,
            attended_at=session.starts_at,
        )
    return session


def sessions_close_ended(*, now: datetime | None = None, grace_minutes: int = 30) -> int:
    """Close the online sessions with presence checks that ended a while ago: their presence
    is all recorded by the player. Sessions whose presence staff confirm wait for staff."""
    now = now or timezone.now()
    ended = LiveSession.objects.filter(
        state=LiveSession.State.SCHEDULED,
        rule__method=PresenceRule.Method.CHECKS,
        ends_at__lte=now - timedelta(minutes=grace_minutes),
    ).values_list("pk", flat=True)
    closed = 0
    for session_id in ended:
        try:
            session_close(session_id=session_id, now=now)
        except ValidationError:
            continue  # closed meanwhile by staff
        closed += 1
    return closed
