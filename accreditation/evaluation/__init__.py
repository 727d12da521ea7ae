"""Evaluation of a learner's standing per register: pure functions over plain data.

Nothing here touches the database; ``accreditation.standing`` gathers the data and
``accreditation.api`` hands the results to other apps.
"""

from .periods import Status, deadline_after_decision, period_resolve, valid_on, years_after
from .points import (
    CategoryRuleData,
    Earning,
    PointsEvaluation,
    RequirementData,
    RuleOutcome,
    points_evaluate,
    requirement_in_force,
)
from .work_hours import (
    WorkHoursEvaluation,
    WorkPeriod,
    work_hours_evaluate,
    work_period_from_actual_hours,
    work_period_from_contract,
)

__all__ = [
    "CategoryRuleData",
    "Earning",
    "PointsEvaluation",
    "RequirementData",
    "RuleOutcome",
    "Status",
    "WorkHoursEvaluation",
    "WorkPeriod",
    "deadline_after_decision",
    "period_resolve",
    "points_evaluate",
    "requirement_in_force",
    "valid_on",
    "work_hours_evaluate",
    "work_period_from_actual_hours",
    "work_period_from_contract",
    "years_after",
]
