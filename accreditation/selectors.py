"""Reads of the accreditation app."""

from .models import LedgerEntry, ProfessionalProfile, Registration, WorkHoursEntry


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
