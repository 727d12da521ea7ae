"""Writes to the points ledger: awards for completed courses, activities learners add with
evidence, and corrections by staff. Entries are only ever added."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import api as catalog_api

from ..models import CourseAccreditation, LedgerEntry, Register, Registration
from .evidence import evidence_check

REVERSAL_LOG_ACTION = "accreditation.ledger_reverse"


def course_completion_award(*, user_id: int, course_id: int, completed_at: datetime) -> None:
    """One award per register the learner is in where the course is accredited on the day of
    completion; reporting the same completion again adds nothing."""
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
    awards = {}
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
                activity_id=accreditation.activity_id,
            ),
        )
    # ON CONFLICT DO NOTHING against the award uniqueness: safe under concurrency, no locks.
    LedgerEntry.objects.bulk_create(awards.values(), ignore_conflicts=True)


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
def ledger_entry_reverse(*, entry: LedgerEntry, reason: str, by) -> LedgerEntry:
    """Cancel an entry with a reversing one, recording who did it and why."""
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
    return reversal
