"""Reads of the learner's profile and registrations."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from ..models import ProfessionalProfile, Register, Registration
from ..rules.cache import rules_snapshot
from ..standing.evaluations import registration_period_resolve

# Staff who may read any learner's registrations, the register's decisions included.
VIEW_ANY_REGISTRATION_PERMISSION = "accreditation.view_registration"
# Where the register gives no length, periods last five years (BIG and most registers).
DEFAULT_PERIOD_YEARS = 5


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


def registration_get(*, user, registration_id: int) -> Registration | None:
    """The learner's own registration; None for anyone else's."""
    return (
        Registration.objects.select_related("register")
        .filter(user=user, pk=registration_id)
        .first()
    )


def registration_reduction_evidence_get(*, registration_id: int, viewer) -> Registration | None:
    """The registration, if it has a reduction decision this viewer may download: the learner's
    own, or any for staff with the right. None otherwise, so callers answer "not found"."""
    if not viewer.is_authenticated:
        return None
    registrations = Registration.objects.exclude(reduction_evidence="")
    if not (viewer.is_staff and viewer.has_perm(VIEW_ANY_REGISTRATION_PERMISSION)):
        registrations = registrations.filter(user=viewer)
    return registrations.filter(pk=registration_id).first()


@dataclass(frozen=True)
class RegistrationRules:
    """What the register asks of a registration's period."""

    period_years: int
    # The most the register grants one person off the total for this period, if it does.
    reduction_max: Decimal | None = None


def registration_rules_get(
    *, registration: Registration, start: date | None, end: date | None
) -> RegistrationRules:
    """The period length and personal-reduction cap in force for a registration with these
    dates: the requirement version the register checks the period against, or for BIG the
    work-hour norm's cycle."""
    rules = rules_snapshot()
    today = timezone.localdate()
    profession_id = (
        ProfessionalProfile.objects.filter(user_id=registration.user_id)
        .values_list("profession_id", flat=True)
        .first()
    )
    if registration.register.kind == Register.Kind.WORK_HOURS:
        norm = rules.norm_in_force(profession_id=profession_id, on=end or today)
        return RegistrationRules(norm.cycle_years if norm else DEFAULT_PERIOD_YEARS)
    requirement = registration_period_resolve(
        rules=rules,
        register_id=registration.register_id,
        profession_id=profession_id,
        start=start,
        end=end,
        joined_on=timezone.localdate(registration.created_at),
        on=today,
    ).requirement
    if requirement is None:
        return RegistrationRules(DEFAULT_PERIOD_YEARS)
    return RegistrationRules(requirement.period_years, requirement.reduction_max)
