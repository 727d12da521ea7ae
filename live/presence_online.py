"""Recording presence online: minutes from the live player's heartbeats, and the presence checks
moderators open in the player (presence in the room is ``presence``)."""

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import presence_buffer
from .models import Attendance, LiveSession, PresenceCheck, PresenceCheckAnswer
from .models.presence import MINUTE_SEEN, MINUTE_UNSEEN
from .presence import registration_with_place, session_closed_refusal


@dataclass(frozen=True)
class OpenCheck:
    id: int
    kind: str
    question: str
    options: list[str]
    seconds_left: int


@dataclass(frozen=True)
class BeatAnswer:
    minutes_online: int
    minutes_planned: int
    check: OpenCheck | None


def _minute_index(session: LiveSession, now: datetime) -> int | None:
    """Which minute of the planned time this moment falls in; None outside it."""
    if not session.starts_at <= now < session.ends_at:
        return None
    index = int((now - session.starts_at).total_seconds() // 60)
    return index if index < session.planned_minutes else None


def _minute_seen(attendance_id: int, index: int, planned: int) -> None:
    with transaction.atomic():
        attendance = Attendance.objects.select_for_update().get(pk=attendance_id)
        seen = attendance.minutes_seen.ljust(planned, MINUTE_UNSEEN)[:planned]
        if seen[index] != MINUTE_SEEN:
            attendance.minutes_seen = seen[:index] + MINUTE_SEEN + seen[index + 1 :]
            attendance.save(update_fields=["minutes_seen"])


def presence_beat(
    *, session_id: int, user, now: datetime | None = None, session_key: str = ""
) -> BeatAnswer:
    """The live player reports that the learner is watching: the current minute counts once,
    however many beats or tabs report it. Answers with the check the learner should answer
    now, if one is open. With Redis the beat is counted there (presence_buffer) and written
    to the database by the flusher."""
    now = now or timezone.now()
    if presence_buffer.buffering_enabled():
        answer = _presence_beat_buffered(session_id=session_id, user=user, now=now)
        if session_key:  # the next beats with this cookie skip Django (live/beacon.py)
            presence_buffer.viewer_cookie_remember(
                session_id=session_id, session_key=session_key, user_id=user.pk
            )
        return answer
    session = LiveSession.objects.select_related("rule").get(pk=session_id)
    _online_refusal(session)
    registration = registration_with_place(session, user)
    attendance, _created = Attendance.objects.get_or_create(registration=registration)
    index = _minute_index(session, now)
    if index is not None and attendance.minutes_seen[index : index + 1] != MINUTE_SEEN:
        _minute_seen(attendance.pk, index, session.planned_minutes)
        attendance.refresh_from_db(fields=["minutes_seen"])
    return BeatAnswer(
        attendance.minutes_online, session.planned_minutes, open_check_for(session, user, now)
    )


def _online_refusal(session: LiveSession) -> None:
    session_closed_refusal(session)
    if not session.rule.online:
        raise ValidationError(
            _("Presence at this session is marked in the room."), code="not_online"
        )


def _presence_beat_buffered(*, session_id: int, user, now: datetime) -> BeatAnswer:
    """One Redis round trip when warm; the database only for what Redis has not yet been told
    (the session's facts every few seconds, the learner's place once, the open checks)."""
    session = None
    # Facts, then the place: two misses at most, unless the facts expire meanwhile (a slow admit).
    for _attempt in range(5):
        outcome = presence_buffer.beat_record(session_id=session_id, user_id=user.pk, now=now)
        if isinstance(outcome, presence_buffer.BeatRecorded):
            break
        session = session or LiveSession.objects.select_related("rule").get(pk=session_id)
        if outcome == presence_buffer.FACTS_UNKNOWN:
            presence_buffer.facts_remember(session)
            continue
        if outcome == presence_buffer.CLOSED:
            raise ValidationError(
                _("This session is closed; its presence is final."), code="session_closed"
            )
        _online_refusal(session)  # NOT_ONLINE refuses here; NOT_ADMITTED checks the place
        _viewer_admit(session, user)
    else:
        raise RuntimeError("the presence buffer did not take the beat")
    checks = outcome.checks
    if checks is None:
        checks = _checks_snapshot(session_id=session_id, now=now)
    answered = outcome.answered
    if answered is None:
        answered = _answered_ids(session_id=session_id, user=user)
        presence_buffer.answered_remember(
            session_id=session_id, user_id=user.pk, answered_ids=list(answered)
        )
    return BeatAnswer(
        outcome.minutes_online, outcome.minutes_planned, open_check_in(checks, answered, now)
    )


def _viewer_admit(session: LiveSession, user) -> None:
    registration = registration_with_place(session, user)
    attendance, _created = Attendance.objects.get_or_create(registration=registration)
    presence_buffer.viewer_admit(
        session_id=session.pk,
        user_id=user.pk,
        minutes_seen=attendance.minutes_seen,
        answered_ids=list(_answered_ids(session_id=session.pk, user=user)),
    )


def _answered_ids(*, session_id: int, user) -> set[int]:
    return set(
        PresenceCheckAnswer.objects.filter(
            presence_check__session_id=session_id, user=user
        ).values_list("presence_check_id", flat=True)
    )


def _checks_snapshot(*, session_id: int, now: datetime) -> list:
    """The session's checks not yet closed, shared by all its viewers for a few seconds."""
    checks = [
        [check.pk, check.kind, check.question, check.options]
        + [check.opens_at.timestamp(), check.closes_at.timestamp()]
        for check in PresenceCheck.objects.filter(session_id=session_id, closes_at__gt=now)
    ]
    presence_buffer.checks_remember(session_id=session_id, checks=checks)
    return checks


def open_check_in(checks: list, answered: set[int], now: datetime) -> OpenCheck | None:
    """The first check of a snapshot that is open now and not answered yet."""
    moment = now.timestamp()
    for check_id, kind, question, options, opens, closes in checks:  # in opening order
        if opens <= moment < closes and check_id not in answered:
            return OpenCheck(
                check_id,
                kind,
                question or str(PresenceCheck.Kind(kind).label),
                list(options),
                math.ceil(closes - moment),
            )
    return None


def open_check_for(session: LiveSession, user, now: datetime) -> OpenCheck | None:
    check = (
        session.checks.filter(opens_at__lte=now, closes_at__gt=now)
        .exclude(answers__user=user)
        .order_by("opens_at", "pk")
        .first()
    )
    if check is None:
        return None
    return OpenCheck(
        check.pk,
        check.kind,
        check.question or str(check.get_kind_display()),
        list(check.options),
        math.ceil((check.closes_at - now).total_seconds()),
    )


def presence_check_answer(
    *, check_id: int, user, option: int | None = None, now: datetime | None = None
) -> PresenceCheckAnswer:
    """The learner's answer to a check, within its time limit, once."""
    now = now or timezone.now()
    check = PresenceCheck.objects.select_related("session").filter(pk=check_id).first()
    if check is None:
        raise ValidationError(_("This presence check does not exist."), code="no_check")
    session_closed_refusal(check.session)
    registration_with_place(check.session, user)
    if now < check.opens_at:
        raise ValidationError(_("This presence check has not started yet."), code="not_open")
    if now >= check.closes_at:
        raise ValidationError(
            _("Too late: the time to answer this presence check is up."), code="too_late"
        )
    if check.kind == PresenceCheck.Kind.POLL:
        if not isinstance(option, int) or not 0 <= option < len(check.options):
            raise ValidationError(_("Choose one of the answers."), code="no_option")
    else:
        option = None
    try:
        with transaction.atomic():
            answer = PresenceCheckAnswer.objects.create(
                presence_check=check, user=user, option=option, answered_at=now
            )
    except IntegrityError:
        raise ValidationError(
            _("You have already answered this presence check."), code="answered_twice"
        ) from None
    if presence_buffer.buffering_enabled():
        transaction.on_commit(
            lambda: presence_buffer.answer_add(
                session_id=check.session_id, user_id=user.pk, check_id=check.pk
            )
        )
    return answer


def presence_check_open(
    *,
    session_id: int,
    kind: str,
    question: str = "",
    options: list[str] | None = None,
    opens_at: datetime | None = None,
    by=None,
    now: datetime | None = None,
) -> PresenceCheck:
    """A check the moderator holds now, or plans for a moment in the session; learners answer
    within the rule's time."""
    now = now or timezone.now()
    session = LiveSession.objects.select_related("rule").get(pk=session_id)
    session_closed_refusal(session)
    if not session.rule.online:
        raise ValidationError(
            _("Presence at this session is marked in the room."), code="not_online"
        )
    opens_at = opens_at or now
    if opens_at < now - timedelta(minutes=1):
        raise ValidationError(_("A check cannot start in the past."), code="in_past")
    if not session.starts_at <= opens_at < session.ends_at:
        raise ValidationError(_("A check must start during the session."), code="outside_session")
    options = [option.strip() for option in options or [] if option.strip()]
    if kind == PresenceCheck.Kind.POLL:
        if not question.strip() or len(options) < 2:
            raise ValidationError(
                _("A poll question needs the question and at least two answers."),
                code="poll_incomplete",
            )
    elif kind == PresenceCheck.Kind.STILL_WATCHING:
        question, options = "", []
    else:
        raise ValidationError(_("Choose the kind of check."), code="kind")
    check = PresenceCheck.objects.create(
        session=session,
        kind=kind,
        question=question.strip(),
        options=options,
        opens_at=opens_at,
        closes_at=opens_at + timedelta(seconds=session.rule.check_seconds),
        created_by=by,
    )
    if presence_buffer.buffering_enabled():  # the viewers' next beat hands it over
        transaction.on_commit(lambda: presence_buffer.checks_forget(session.pk))
    return check


def presence_checks_plan(*, session_id: int, by=None, now: datetime | None = None):
    """Plan "still watching?" checks spread over the session as its rule asks (so many per
    1.5 hours), at moments learners cannot guess: each at a random point of its stretch."""
    now = now or timezone.now()
    session = LiveSession.objects.select_related("rule").get(pk=session_id)
    count = max(1, math.ceil(session.planned_minutes / 90 * session.rule.checks_per_90_minutes))
    start = max(session.starts_at, now)
    stretch = (session.ends_at - start) / count
    usable = stretch.total_seconds() - session.rule.check_seconds
    if usable <= 0:
        raise ValidationError(_("Too little of the session is left to plan checks."), code="late")
    return [
        presence_check_open(
            session_id=session_id,
            kind=PresenceCheck.Kind.STILL_WATCHING,
            opens_at=start + stretch * number + timedelta(seconds=secrets.randbelow(int(usable))),
            by=by,
            now=now,
        )
        for number in range(count)
    ]
