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


def ledger_evidence_get(*, entry_id: int, viewer) -> LedgerEntry | None:
    """The entry, if it has evidence this viewer may download: its learner's own, or any for
    staff with the right. None otherwise, so callers answer "not found" and reveal nothing."""
    if not viewer.is_authenticated:
        return None
    entries = LedgerEntry.objects.exclude(evidence="")
    if not (viewer.is_staff and viewer.has_perm(VIEW_ANY_EVIDENCE_PERMISSION)):
        entries = entries.filter(user=viewer)
    return entries.filter(pk=entry_id).first()
