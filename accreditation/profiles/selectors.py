"""Reads of the learner's profile and registrations."""

from ..models import ProfessionalProfile, Registration


def professional_profile_get(*, user) -> ProfessionalProfile | None:
    return ProfessionalProfile.objects.select_related("profession").filter(user=user).first()


def registration_list(*, user) -> list[Registration]:
    return list(
        Registration.objects.filter(user=user)
        .select_related("register")
        .order_by("register__sort_order", "register__short_name")
    )


def registrations_with_deadline(*, user) -> list[Registration]:
    """The learner's registrations that have a stated deadline (period end or BIG deadline),
    soonest first. A period end the learner never entered is a guess, not a deadline."""
    return list(
        Registration.objects.filter(user=user, period_end__isnull=False)
        .select_related("register")
        .order_by("period_end", "register__sort_order")
    )
