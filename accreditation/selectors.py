"""Reads of the accreditation app."""

from .models import LedgerEntry, ProfessionalProfile, Registration, WorkHoursEntry

# Staff who may read any learner's points record, evidence included.
VIEW_ANY_EVIDENCE_PERMISSION = "accreditation.view_ledgerentry"


def professional_profile_get(*, user) -> ProfessionalProfile | None:
    return ProfessionalProfile.objects.select_related("profession").filter(user=user).first()


def registration_list(*, user) -> list[Registration]:
    return list(
        Registration.objects.filter(user=user)
        .select_related("register")
        .order_by("register__sort_order", "register__short_name")
    )


def work_hours_list(*, user) -> list[WorkHoursEntry]:
    return list(WorkHoursEntry.objects.filter(user=user).order_by("-start"))


def ledger_entries_recent(*, user, limit: int) -> list[LedgerEntry]:
    return list(
        LedgerEntry.objects.filter(user=user)
        .select_related("register", "category")
        .order_by("-earned_on", "-pk")[:limit]
    )


def ledger_evidence_get(*, entry_id: int, viewer) -> LedgerEntry | None:
    """The entry, if it has evidence this viewer may download: its learner's own, or any for
    staff with the right. None otherwise, so callers answer "not found" and reveal nothing."""
    if not viewer.is_authenticated:
        return None
    entries = LedgerEntry.objects.exclude(evidence="")
    if not (viewer.is_staff and viewer.has_perm(VIEW_ANY_EVIDENCE_PERMISSION)):
        entries = entries.filter(user=viewer)
    return entries.filter(pk=entry_id).first()


def registrations_with_deadline(*, user) -> list[Registration]:
    """The learner's registrations that have a stated deadline (period end or BIG deadline),
    soonest first. A period end the learner never entered is a guess, not a deadline."""
    return list(
        Registration.objects.filter(user=user, period_end__isnull=False)
        .select_related("register")
        .order_by("period_end", "register__sort_order")
    )
