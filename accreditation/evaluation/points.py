from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from .periods import DAYS_PER_YEAR, Status, years_after

ZERO = Decimal(0)
TENTH = Decimal("0.1")
MINIMUM = "min"
MAXIMUM = "max"


def _tenths(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CategoryRuleData:
    label: str
    kind: str  # "min" or "max"
    points: Decimal  # percentages already turned into points of the total
    category_ids: frozenset[int]


@dataclass(frozen=True)
class RequirementData:
    id: int
    register_id: int
    total_points: Decimal
    period_years: int
    points_per_year: Decimal | None
    valid_from: date
    valid_until: date | None
    source_url: str
    rules: tuple[CategoryRuleData, ...] = ()


class Earning(NamedTuple):
    """Points earned on a day (a named tuple: thousands are made per evaluation)."""

    category_id: int
    points: Decimal
    earned_on: date


@dataclass(frozen=True)
class RuleOutcome:
    label: str
    kind: str
    points: Decimal
    category_ids: frozenset[int]
    earned: Decimal
    counted: Decimal
    shortfall: Decimal  # minima only
    not_counted: Decimal  # maxima only: earned beyond the cap


@dataclass(frozen=True)
class PointsEvaluation:
    register_id: int
    register: str
    requirement_id: int | None
    required: Decimal | None
    period_start: date
    period_end: date
    on: date
    earned: Decimal
    counted: Decimal
    shortfall_total: Decimal
    rules: tuple[RuleOutcome, ...]
    # The fewest extra points that meet every rule, if they go where they are needed.
    points_needed: Decimal
    # Categories in which extra points still count toward ``points_needed``.
    counting_category_ids: frozenset[int]
    points_by_year: tuple[Decimal, ...]
    years_below_yearly_minimum: tuple[int, ...]
    rate_per_year: Decimal
    pace_needed_per_year: Decimal | None
    projected_points: Decimal
    status: str
    kind: str = "points"

    @property
    def met(self) -> bool:
        return self.status == Status.MET


def requirement_in_force(
    requirements: Iterable[RequirementData], day: date
) -> RequirementData | None:
    """The version valid on a day; a temporary version (with an end) wins over a standing one,
    then the newest."""
    valid = [
        r
        for r in requirements
        if r.valid_from <= day and (r.valid_until is None or day <= r.valid_until)
    ]
    if not valid:
        return None
    return max(valid, key=lambda r: (r.valid_until is not None, r.valid_from, r.id))


def _apply_caps(
    earned: dict[int, Decimal], rules: tuple[CategoryRuleData, ...]
) -> dict[int, Decimal]:
    # Points over a cap are taken off the capped categories in proportion, so a category's
    # counted share stays true to what was earned in it.
    counted = {category: max(points, ZERO) for category, points in earned.items()}
    for rule in rules:
        if rule.kind != MAXIMUM:
            continue
        inside = sum((counted.get(c, ZERO) for c in rule.category_ids), ZERO)
        if inside > rule.points:
            factor = rule.points / inside
            for category in rule.category_ids:
                if category in counted:
                    counted[category] *= factor
    return counted


def points_evaluate(
    *,
    register_id: int,
    register: str,
    requirement: RequirementData | None,
    earnings: Iterable[Earning],
    period_start: date,
    period_end: date,
    on: date,
    category_ids: Iterable[int],
) -> PointsEvaluation:
    """Points earned in a period counted against a requirement, with caps and minima applied."""
    years = requirement.period_years if requirement else 5
    boundaries = [years_after(period_start, n) for n in range(1, years + 1)]
    by_year = [ZERO] * years
    earned: dict[int, Decimal] = defaultdict(lambda: ZERO)
    last_day = min(on, period_end)
    for earning in earnings:
        if period_start <= earning.earned_on <= last_day:
            earned[earning.category_id] += earning.points
            year = min(bisect_right(boundaries, earning.earned_on), years - 1)
            by_year[year] += earning.points
    earned_total = sum(earned.values(), ZERO)
    rules = requirement.rules if requirement else ()
    counted = _apply_caps(earned, rules)
    counted_total = sum(counted.values(), ZERO)

    outcomes = []
    saturated: set[int] = set()
    short_minimum_categories: set[int] = set()
    minimum_shortfall = ZERO
    for rule in rules:
        rule_earned = sum((earned.get(c, ZERO) for c in rule.category_ids), ZERO)
        rule_counted = sum((counted.get(c, ZERO) for c in rule.category_ids), ZERO)
        shortfall = not_counted = ZERO
        if rule.kind == MINIMUM:
            shortfall = max(rule.points - rule_counted, ZERO)
            if shortfall:
                minimum_shortfall += shortfall
                short_minimum_categories |= rule.category_ids
        elif rule_earned >= rule.points:
            not_counted = max(rule_earned - rule.points, ZERO)
            saturated |= rule.category_ids
        outcomes.append(
            RuleOutcome(
                rule.label,
                rule.kind,
                _tenths(rule.points),
                rule.category_ids,
                _tenths(rule_earned),
                _tenths(rule_counted),
                _tenths(shortfall),
                _tenths(not_counted),
            )
        )

    required = requirement.total_points if requirement else None
    shortfall_total = max(required - counted_total, ZERO) if required is not None else ZERO
    points_needed = max(shortfall_total, minimum_shortfall)
    counting = short_minimum_categories or set(category_ids)
    counting_category_ids = frozenset(counting - saturated) if points_needed else frozenset()

    elapsed_days = max((last_day - period_start).days + 1, 1)
    remaining_days = max((period_end - on).days, 0)
    rate_per_year = counted_total * DAYS_PER_YEAR / elapsed_days
    projected = counted_total + rate_per_year * remaining_days / DAYS_PER_YEAR
    if points_needed and remaining_days:
        pace_needed = points_needed * DAYS_PER_YEAR / remaining_days
    else:
        pace_needed = ZERO if not points_needed else None

    per_year = requirement.points_per_year if requirement else None
    years_below = tuple(
        n + 1
        for n, boundary in enumerate(boundaries)
        if per_year and boundary <= on and by_year[n] < per_year
    )
    if requirement is None:
        status = Status.UNKNOWN
    elif not points_needed:
        status = Status.MET
    elif on >= period_end:
        status = Status.NOT_MET
    elif rate_per_year * remaining_days / DAYS_PER_YEAR >= points_needed:
        status = Status.ON_TRACK
    else:
        status = Status.BEHIND
    return PointsEvaluation(
        register_id=register_id,
        register=register,
        requirement_id=requirement.id if requirement else None,
        required=required,
        period_start=period_start,
        period_end=period_end,
        on=on,
        earned=_tenths(earned_total),
        counted=_tenths(counted_total),
        shortfall_total=_tenths(shortfall_total),
        rules=tuple(outcomes),
        points_needed=_tenths(points_needed),
        counting_category_ids=counting_category_ids,
        points_by_year=tuple(_tenths(points) for points in by_year),
        years_below_yearly_minimum=years_below,
        rate_per_year=_tenths(rate_per_year),
        pace_needed_per_year=_tenths(pace_needed) if pace_needed is not None else None,
        projected_points=_tenths(projected),
        status=status,
    )
