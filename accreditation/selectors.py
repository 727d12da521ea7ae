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


def registrations_with_deadline(*, user) -> list[Registration]:
    """The learner's registrations that have a stated deadline (period end or BIG deadline),
    soonest first. A period end the learner never entered is a guess, not a deadline."""
    return list(
        Registration.objects.filter(user=user, period_end__isnull=False)
        .select_related("register")
        .order_by("period_end", "register__sort_order")
    )
