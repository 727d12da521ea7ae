"""Reads of the points ledger."""

from ..models import LedgerEntry

# Staff who may read any learner's points record, evidence included.
VIEW_ANY_EVIDENCE_PERMISSION = "accreditation.view_ledgerentry"


def ledger_entries_recent(*, user, limit: int) -> list[LedgerEntry]:
    return list(
        LedgerEntry.objects.filter(user=user)
        .select_related("register", "category")
        .order_by("-earned_on", "-pk")[:limit]
    )


def ledger_entry_list(*, user) -> list[LedgerEntry]:
    """All of a learner's entries, newest first, each with the correction that reversed it
    and who made that correction."""
    return list(
        LedgerEntry.objects.filter(user=user)
        .select_related("register", "category", "created_by", "reverses", "reversed_by__created_by")
        .order_by("-earned_on", "-pk")
    )


def ledger_entry_get(*, entry_id: int) -> LedgerEntry | None:
    return (
        LedgerEntry.objects.select_related("user", "register", "category", "reversed_by")
        .filter(pk=entry_id)
        .first()
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
