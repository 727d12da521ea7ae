"""Recording presence in the room: staff marking a list (late arrival, early leave) and
learners scanning the door's QR code. Presence online (minutes from the live player's
heartbeats, presence checks in the player) is ``presence_online``."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Attendance,
    LiveSession,
    SessionRegistration,
)

Status = SessionRegistration.Status
# Staff may mark, and learners scan in, from this long before the start (the door opens).
DOORS_OPEN = timedelta(hours=1)


def session_closed_refusal(session: LiveSession) -> None:
    if session.is_closed:
        raise ValidationError(
            _("This session is closed; its presence is final."), code="session_closed"
        )


@dataclass(frozen=True)
class PresenceMark:
    registration_id: int
    present: bool
    late_minutes: int = 0
    left_early_minutes: int = 0


def _mark_refusal(session: LiveSession, mark: PresenceMark, name: str) -> str | None:
    if mark.late_minutes < 0 or mark.left_early_minutes < 0:
        return _("Minutes cannot be negative (%(name)s).") % {"name": name}
    if mark.present and mark.late_minutes + mark.left_early_minutes >= session.planned_minutes:
        return _(
            "%(name)s: late and left early add up to the whole session (%(minutes)s minutes)."
        ) % {"name": name, "minutes": session.planned_minutes}
    return None


@transaction.atomic
def presence_list_save(
    *, session_id: int, marks: list[PresenceMark], by, now: datetime | None = None
) -> int:
    """Staff's marks for learners with a place; all or nothing. Returns how many were saved."""
    now = now or timezone.now()
    session = LiveSession.objects.select_for_update().get(pk=session_id)
    session_closed_refusal(session)
    if now < session.starts_at - DOORS_OPEN:
        raise ValidationError(
            _("Presence can be marked from an hour before the start."), code="too_early"
        )
    registrations = {
        registration.pk: registration
        for registration in session.registrations.filter(
            pk__in=[mark.registration_id for mark in marks]
        ).select_related("user")
    }
    problems = []
    for mark in marks:
        registration = registrations.get(mark.registration_id)
        if registration is None or registration.status != Status.REGISTERED:
            name = registration.user.get_full_name() if registration else ""
            problems.append(
                _("%(name)s is not registered for this session; presence is not marked.")
                % {"name": name or _("This learner")}
            )
            continue
        if refusal := _mark_refusal(session, mark, registration.user.get_full_name()):
            problems.append(refusal)
    if problems:
        raise ValidationError(problems, code="marks_refused")
    for mark in marks:
        attendance, _created = Attendance.objects.get_or_create(
            registration_id=mark.registration_id
        )
        attendance.present = mark.present
        attendance.late_minutes = mark.late_minutes if mark.present else 0
        attendance.left_early_minutes = mark.left_early_minutes if mark.present else 0
        attendance.marked_at, attendance.marked_by = now, by
        attendance.save()
    return len(marks)


def registration_with_place(session: LiveSession, user) -> SessionRegistration:
    registration = SessionRegistration.objects.filter(
        session=session, user=user, status=Status.REGISTERED
    ).first()
    if registration is None:
        raise ValidationError(_("You are not registered for this session."), code="not_registered")
    return registration


@transaction.atomic
def door_check_in(*, session_id: int, user, now: datetime | None = None) -> Attendance:
    """A learner scanned the door's code: present, late by the minutes past the start. A
    second scan changes nothing; staff can still correct the list."""
    now = now or timezone.now()
    session = LiveSession.objects.select_for_update().get(pk=session_id)
    session_closed_refusal(session)
    if not session.starts_at - DOORS_OPEN <= now < session.ends_at:
        raise ValidationError(
            _("This code works only during the session, from an hour before the start."),
            code="not_now",
        )
    registration = registration_with_place(session, user)
    attendance, _created = Attendance.objects.get_or_create(registration=registration)
    if attendance.checked_in_at is None:
        late = max(0, math.floor((now - session.starts_at).total_seconds() / 60))
        attendance.checked_in_at = now
        if attendance.present is None:
            attendance.present = True
            attendance.late_minutes = late
        attendance.save()
    return attendance
