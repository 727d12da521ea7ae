"""A learner's standing per register: gathers plain data for ``accreditation.evaluation``."""

from collections import defaultdict
from datetime import date
from typing import NamedTuple

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ..evaluation import (
    Earning,
    PointsEvaluation,
    RequirementData,
    WorkHoursEvaluation,
    WorkPeriod,
    period_resolve,
    points_evaluate,
    requirement_in_force,
    work_hours_evaluate,
    work_period_from_actual_hours,
    work_period_from_contract,
)
from ..models import LedgerEntry, ProfessionalProfile, Register, Registration, WorkHoursEntry
from ..rules.cache import RulesSnapshot, rules_snapshot

RegisterEvaluation = PointsEvaluation | WorkHoursEvaluation


def _earnings_by_register(*, user_id: int) -> dict[int, list[Earning]]:
    earnings: dict[int, list[Earning]] = defaultdict(list)
    rows = LedgerEntry.objects.filter(user_id=user_id).values_list(
        "register_id", "category_id", "points", "earned_on"
    )
    make = Earning._make
    for row in rows:
        earnings[row[0]].append(make(row[1:]))
    return earnings


def work_periods(*, user_id: int) -> list[WorkPeriod]:
    periods = []
    for kind, start, end, hours_per_week, hours in WorkHoursEntry.objects.filter(
        user_id=user_id
    ).values_list("kind", "start", "end", "hours_per_week", "hours"):
        if kind == WorkHoursEntry.Kind.CONTRACT:
            periods.append(
                work_period_from_contract(start=start, end=end, hours_per_week=hours_per_week)
            )
        else:
            periods.append(work_period_from_actual_hours(start=start, end=end, hours=hours))
    return periods


class ResolvedPeriod(NamedTuple):
    requirement: RequirementData | None
    start: date
    end: date


def registration_period_resolve(
    *,
    rules: RulesSnapshot,
    register_id: int,
    profession_id: int | None,
    start: date | None,
    end: date | None,
    joined_on: date,
    on: date,
) -> ResolvedPeriod:
    """A registration's period with the requirement version the register will check it against:
    the one in force on the period's end. An end that is not given follows from the start and
    the period's length in years."""
    versions = rules.requirements.get(register_id, ())
    requirement = requirement_in_force(versions, end or on, profession_id=profession_id)
    start, end = period_resolve(
        start=start,
        end=end,
        years=requirement.period_years if requirement else 5,
        joined_on=joined_on,
    )
    requirement = requirement_in_force(versions, end, profession_id=profession_id) or requirement
    return ResolvedPeriod(requirement, start, end)


def _points_evaluation(registration, rules: RulesSnapshot, earnings, on) -> PointsEvaluation:
    register = registration.register
    profession_id = registration.profession_id
    requirement, start, end = registration_period_resolve(
        rules=rules,
        register_id=register.pk,
        profession_id=profession_id,
        start=registration.period_start,
        end=registration.period_end,
        joined_on=timezone.localdate(registration.created_at),
        on=on,
    )
    return points_evaluate(
        register_id=register.pk,
        register=register.display_short_name,
        requirement=requirement,
        earnings=earnings,
        period_start=start,
        period_end=end,
        on=on,
        category_ids=rules.category_ids,
        profession_id=profession_id,
        reduction_granted=registration.reduction_granted,
    )


def _work_hours_evaluation(registration, rules: RulesSnapshot, on: date) -> WorkHoursEvaluation:
    deadline = registration.period_end
    norm = rules.norm_in_force(profession_id=registration.profession_id, on=deadline or on)
    return work_hours_evaluate(
        register_id=registration.register.pk,
        register=registration.register.display_short_name,
        norm_hours=norm.hours if norm else None,
        cycle_years=norm.cycle_years if norm else 5,
        deadline=deadline,
        periods=work_periods(user_id=registration.user_id),
        on=on,
    )


def register_evaluations(*, user_id: int, on: date) -> list[RegisterEvaluation]:
    """The learner's standing in each register they are in, in the registers' order."""
    profession = ProfessionalProfile.objects.filter(user_id=OuterRef("user_id")).values(
        "profession_id"
    )[:1]
    registrations = list(
        Registration.objects.filter(user_id=user_id)
        .select_related("register")
        .annotate(profession_id=Subquery(profession))
        .order_by("register__sort_order", "register__short_name")
    )
    if not registrations:
        return []
    rules = rules_snapshot()
    kinds = {registration.register.kind for registration in registrations}
    earnings = _earnings_by_register(user_id=user_id) if Register.Kind.POINTS in kinds else {}
    evaluations: list[RegisterEvaluation] = []
    for registration in registrations:
        if registration.register.kind == Register.Kind.WORK_HOURS:
            evaluations.append(_work_hours_evaluation(registration, rules, on))
        else:
            evaluations.append(
                _points_evaluation(
                    registration, rules, earnings.get(registration.register_id, []), on
                )
            )
    return evaluations
