"""Registering for a session and cancelling, with places and a waiting list.

Every change locks the session's row first, so registrations and cancellations of one session
take turns: two learners racing for the last place never both get it, and a place freed by a
cancellation goes to the first on the waiting list in the same transaction. E-mails go out
after the commit, by task."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from catalog import api as catalog_api
from lms.queue import task_enqueue
from playback import api as playback_api

from .models import LiveSession, ProviderReferral, SessionRegistration

Status = SessionRegistration.Status
MAIL_TASK = "live.tasks.registration_mail_task"


class Mail:
    """Which e-mail a change of a registration sends."""

    CONFIRMED = "confirmed"
    PROMOTED = "promoted"  # a place came free: off the waiting list
    WAITING = "waiting"
    CANCELLED = "cancelled"


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "l j F Y, H:i")


def _mail_after_commit(registration: SessionRegistration, mail: str) -> None:
    pk, sequence = registration.pk, registration.sequence
    transaction.on_commit(lambda: task_enqueue(MAIL_TASK, pk, sequence, mail))


def _session_locked(session_id: int) -> LiveSession:
    try:
        return LiveSession.objects.select_for_update().get(pk=session_id)
    except LiveSession.DoesNotExist:
        raise ValidationError(_("This session does not exist."), code="no_session") from None


def seats_taken(session: LiveSession) -> int:
    return session.registrations.filter(status=Status.REGISTERED).count()


def waiting_position(registration: SessionRegistration) -> int:
    """1 for the first on the waiting list."""
    return (
        registration.session.registrations.filter(
            status=Status.WAITING, queued_at__lte=registration.queued_at
        )
        .exclude(queued_at=registration.queued_at, pk__gt=registration.pk)
        .count()
    )


def _registration_refusal(session: LiveSession, now: datetime) -> str | None:
    if session.registration_url:
        return _("For this session you register with the provider.")
    if session.is_closed or now >= session.ends_at:
        return _("This session has taken place.")
    if now >= session.registration_deadline:
        return _("Registration for this session closed on %(when)s.") % {
            "when": _when(session.registration_deadline)
        }
    return None


def paid_webinar_refusal(*, user, course: catalog_api.CourseEventFacts | None) -> str | None:
    """Why this learner may not take part in a webinar of a paid course they have no access
    to (no enrolment), or None. Staff and free courses pass; ``course`` is the session's course
    (``catalog_api.course_event_facts``), None when it is gone."""
    if course is None or not course.paid_webinar:
        return None
    if playback_api.course_access(user=user, course_id=course.id, free=False):
        return None
    return _(
        "This is a paid webinar. You can take part once you are enrolled in the course, for "
        "instance with a voucher code from your employer."
    )


@transaction.atomic
def session_register(*, session_id: int, user, now: datetime | None = None) -> SessionRegistration:
    """A place for the learner, or, when the session is full, a place on its waiting list
    (the returned registration's status says which)."""
    now = now or timezone.now()
    session = _session_locked(session_id)
    refusal = _registration_refusal(session, now)
    if refusal:
        raise ValidationError(refusal, code="registration_closed")
    course = catalog_api.course_event_facts([session.course_id]).get(session.course_id)
    refusal = paid_webinar_refusal(user=user, course=course)
    if refusal:
        raise ValidationError(refusal, code="no_access")
    registration = SessionRegistration.objects.filter(session=session, user=user).first()
    if registration is not None and registration.status == Status.REGISTERED:
        raise ValidationError(
            _("You are already registered for this session."), code="registered_twice"
        )
    if registration is not None and registration.status == Status.WAITING:
        raise ValidationError(
            _("You are already on the waiting list, at place %(position)s.")
            % {"position": waiting_position(registration)},
            code="waiting_twice",
        )
    full = session.capacity is not None and seats_taken(session) >= session.capacity
    if registration is None:
        registration = SessionRegistration(session=session, user=user)
    else:
        registration.sequence += 1  # the invitation cancelled before is sent again
    registration.status = Status.WAITING if full else Status.REGISTERED
    registration.queued_at = now
    registration.seat_since = None if full else now
    registration.cancelled_at = None
    registration.reminder_sent_at = None
    registration.save()
    _mail_after_commit(registration, Mail.WAITING if full else Mail.CONFIRMED)
    return registration


@dataclass(frozen=True)
class Cancellation:
    registration: SessionRegistration
    had_place: bool  # else the learner left the waiting list
    promoted: list[SessionRegistration]


@transaction.atomic
def registration_cancel(*, session_id: int, user, now: datetime | None = None) -> Cancellation:
    """Give up a place (until the session's deadline for cancelling) or leave the waiting list
    (until the start); a place given up goes to the first on the waiting list."""
    now = now or timezone.now()
    session = _session_locked(session_id)
    registration = (
        SessionRegistration.objects.filter(session=session, user=user)
        .exclude(status=Status.CANCELLED)
        .first()
    )
    if registration is None:
        raise ValidationError(_("You are not registered for this session."), code="not_registered")
    had_place = registration.status == Status.REGISTERED
    if session.is_closed or now >= session.starts_at:
        raise ValidationError(
            _("The session has started; cancelling is no longer possible."), code="started"
        )
    if had_place and now >= session.cancel_deadline:
        raise ValidationError(
            _("Cancelling was possible until %(when)s. Contact the provider if you cannot come.")
            % {"when": _when(session.cancel_deadline)},
            code="cancel_deadline",
        )
    registration.status = Status.CANCELLED
    registration.cancelled_at = now
    registration.sequence += 1
    registration.save(update_fields=["status", "cancelled_at", "sequence"])
    if had_place:
        _mail_after_commit(registration, Mail.CANCELLED)
    promoted = waiting_list_move_up(session=session, now=now) if had_place else []
    return Cancellation(registration, had_place, promoted)


def waiting_list_move_up(*, session: LiveSession, now: datetime | None = None):
    """Give the free places, first come first served, to those on the waiting list. Call it
    with the session's row locked (as registering and cancelling do)."""
    now = now or timezone.now()
    if now >= session.starts_at or session.is_closed:
        return []
    free = None if session.capacity is None else session.capacity - seats_taken(session)
    waiting = session.registrations.filter(status=Status.WAITING).order_by("queued_at", "pk")
    if free is not None:
        waiting = waiting[: max(free, 0)]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = Status.REGISTERED
        registration.seat_since = now
        registration.sequence += 1
        registration.save(update_fields=["status", "seat_since", "sequence"])
        _mail_after_commit(registration, Mail.PROMOTED)
    return promoted


@transaction.atomic
def session_places_changed(*, session_id: int) -> list[SessionRegistration]:
    """After an editor added places to a session: the waiting list moves up into them."""
    session = _session_locked(session_id)
    return waiting_list_move_up(session=session)


def provider_referral_record(*, session: LiveSession, user) -> str:
    """A learner goes to the provider's own registration page: noted, and the address given."""
    ProviderReferral.objects.create(session=session, user=user if user.is_authenticated else None)
    return session.registration_url
