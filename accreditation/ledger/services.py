"""Writes to the points ledger: awards for completed courses, activities learners add with
evidence, and corrections by staff. Entries are only ever added."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import api as catalog_api

from ..certificates.services import certificate_restate
from ..models import CourseAccreditation, LedgerEntry, Register, Registration
from .evidence import evidence_check

REVERSAL_LOG_ACTION = "accreditation.ledger_reverse"


def course_completion_award(
    *, user_id: int, course_id: int, completed_at: datetime, session_id: int | None = None
) -> None:
    """One award per register the learner is in where the course is accredited on the day of
    completion. Reporting the same completion again adds nothing; when staff corrected the
    accreditation since (activity ID, points, category), the award is corrected: reversed and
    replaced, never given twice. An award staff reversed stays reversed.

    With a session: the learner attended that session of the course (live or in a room), and
    the award is that session's, apart from the course's and from other sessions' awards."""
    if timezone.is_aware(completed_at):
        day = timezone.localdate(completed_at)
    else:
        day = completed_at.date()
    registered = Registration.objects.filter(user_id=user_id).values("register_id")
    accreditations = (
        CourseAccreditation.objects.valid_on(day)
        .filter(course_id=course_id, register_id__in=registered)
        .order_by("register_id", "-valid_from", "-pk")
        .values_list("register_id", "points", "category_id", "activity_id", named=True)
    )
    heading = catalog_api.course_heading_get(course_id=course_id)
    title = heading.title if heading else ""
    awards: dict[int, LedgerEntry] = {}
    terms: dict[int, set[tuple]] = {}
    for accreditation in accreditations:
        # Overlapping accreditations in one register: the most recent one counts.
        awards.setdefault(
            accreditation.register_id,
            LedgerEntry(
                user_id=user_id,
                register_id=accreditation.register_id,
                kind=LedgerEntry.Kind.AWARD,
                points=accreditation.points,
                category_id=accreditation.category_id,
                earned_on=day,
                title=title[:255],
                course_id=course_id,
                session_id=session_id,
                activity_id=accreditation.activity_id,
            ),
        )
        terms.setdefault(accreditation.register_id, set()).add(
            (accreditation.points, accreditation.category_id, accreditation.activity_id)
        )
    current = _awards_current(user_id=user_id, course_id=course_id, session_id=session_id)
    # ON CONFLICT DO NOTHING against the award uniqueness: safe under concurrency, no locks.
    LedgerEntry.objects.bulk_create(
        [award for register_id, award in awards.items() if register_id not in current],
        ignore_conflicts=True,
    )
    for register_id, award in awards.items():
        standing = current.get(register_id)
        # An award still matching an accreditation of that day stands, even when a newer run
        # overlaps it; one matching none was given under terms staff have since corrected.
        if (
            standing is not None
            and _award_terms(standing) not in terms[register_id]
            and not LedgerEntry.objects.filter(reverses=standing).exists()
        ):
            _award_replace(standing, award, reason=_award_correction_reason(standing, award))


def _awards_current(
    *, user_id: int, course_id: int, session_id: int | None
) -> dict[int, LedgerEntry]:
    """Per register, the learner's latest award for a course (or for a session of it): the one
    no later award replaces (it may have been reversed by staff)."""
    awards = LedgerEntry.objects.filter(
        user_id=user_id,
        course_id=course_id,
        session_id=session_id,
        kind=LedgerEntry.Kind.AWARD,
        replaced_by__isnull=True,
    ).order_by("pk")
    return {award.register_id: award for award in awards}


def _award_terms(award: LedgerEntry) -> tuple:
    return (award.points, award.category_id, award.activity_id)


def _award_correction_reason(standing: LedgerEntry, award: LedgerEntry) -> str:
    changes = []
    if standing.activity_id != award.activity_id:
        changes.append(
            _("activity ID %(old)s → %(new)s")
            % {"old": standing.activity_id or "—", "new": award.activity_id or "—"}
        )
    if standing.points != award.points:
        changes.append(
            _("points %(old)s → %(new)s") % {"old": standing.points, "new": award.points}
        )
    if standing.category_id != award.category_id:
        changes.append(_("category changed"))
    return str(_("The course's accreditation was corrected: %(changes)s.")) % {
        "changes": ", ".join(str(change) for change in changes)
    }


def _award_replace(standing: LedgerEntry, award: LedgerEntry, *, reason: str, by=None) -> None:
    """Reverse an award and store the corrected one in its place, in one step; a concurrent
    report that did the same first wins and this one does nothing."""
    try:
        with transaction.atomic():
            ledger_entry_reverse(entry=standing, reason=reason, by=by, restate_certificate=False)
            award.replaces = standing
            award.earned_on = standing.earned_on
            award.save(force_insert=True)
            certificate_restate(
                user_id=standing.user_id, course_id=standing.course_id, reason=reason, by=by
            )
    except IntegrityError:
        return


def _manual_duplicates_award(*, user, register: Register, title: str, earned_on: date):
    """The award, if any, for a course of this title completed on this day in this register."""
    wanted = " ".join(title.split()).casefold()
    awards = LedgerEntry.objects.filter(
        user=user,
        register=register,
        kind=LedgerEntry.Kind.AWARD,
        earned_on=earned_on,
        reversed_by__isnull=True,
    )
    for award in awards:
        if " ".join(award.title.split()).casefold() == wanted:
            return award
    return None


def manual_activity_add(
    *,
    user,
    register: Register,
    category_id: int,
    title: str,
    points: Decimal,
    earned_on: date,
    evidence,
) -> LedgerEntry:
    """An activity the learner did elsewhere, with a certificate; the register validates it."""
    if not Registration.objects.filter(user=user, register=register).exists():
        raise ValidationError(
            _("You are not in this register; add it to your profile first."),
            code="register_not_joined",
        )
    if earned_on > timezone.localdate():
        raise ValidationError(
            _("The date is in the future: add an activity once you have done it."),
            code="date_in_future",
        )
    duplicate = _manual_duplicates_award(
        user=user, register=register, title=title, earned_on=earned_on
    )
    if duplicate is not None:
        raise ValidationError(
            _(
                "You already received %(points)s points for “%(title)s” on this day, when you "
                "completed the course here. The same activity does not count twice."
            ),
            code="duplicates_award",
            params={"points": duplicate.points, "title": duplicate.title},
        )
    evidence_check(evidence)
    return LedgerEntry.objects.create(
        user=user,
        register=register,
        kind=LedgerEntry.Kind.MANUAL,
        points=points,
        category_id=category_id,
        earned_on=earned_on,
        title=title,
        evidence=evidence,
        created_by=user,
    )


@transaction.atomic
def ledger_entry_reverse(
    *, entry: LedgerEntry, reason: str, by, restate_certificate: bool = True
) -> LedgerEntry:
    """Cancel an entry with a reversing one, recording who did it and why. The certificate that
    stated a reversed award is reissued without it, or revoked when nothing is left to state."""
    if entry.kind == LedgerEntry.Kind.REVERSAL:
        raise ValidationError(_("A correction cannot itself be reversed."), code="reverse_reversal")
    if not reason.strip():
        raise ValidationError(_("Say why the entry is reversed."), code="reason_required")
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."), code="reversed_twice")
    reversal = LedgerEntry.objects.create(
        user_id=entry.user_id,
        register_id=entry.register_id,
        kind=LedgerEntry.Kind.REVERSAL,
        points=-entry.points,
        category_id=entry.category_id,
        earned_on=entry.earned_on,
        title=entry.title,
        course_id=entry.course_id,
        activity_id=entry.activity_id,
        reverses=entry,
        reason=reason.strip(),
        created_by=by,
    )
    from wagtail.log_actions import log

    log(
        instance=reversal,
        action=REVERSAL_LOG_ACTION,
        user=by,
        data={"reversed_entry": entry.pk, "reason": reversal.reason},
    )
    if restate_certificate and entry.kind == LedgerEntry.Kind.AWARD:
        certificate_restate(
            user_id=entry.user_id, course_id=entry.course_id, reason=reversal.reason, by=by
        )
    return reversal
