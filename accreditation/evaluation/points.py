from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from ..language import in_active_language
from .pace import STARTED_DAYS, earnings_spread, pace_measure, status_decide
from .periods import Status, valid_on, years_after

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
    profession_id: int | None = None  # None: for every profession
    label_en: str = ""  # for learners who read the site in English; ``label`` is the rule's key


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
    profession_id: int | None = None  # None: for every profession
    # The most a register grants one person off the total (their own decision), if it does.
    reduction_max: Decimal | None = None

    def rules_for(self, profession_id: int | None) -> tuple[CategoryRuleData, ...]:
        """The category rules for a profession: one for that profession replaces the one with
        the same label for every profession; rules for other professions do not apply."""
        own = {r.label for r in self.rules if r.profession_id and r.profession_id == profession_id}
        return tuple(
            rule
            for rule in self.rules
            if (rule.profession_id is None and rule.label not in own)
            or (rule.profession_id is not None and rule.profession_id == profession_id)
        )

    def reduction_for(self, granted: Decimal | None) -> Decimal:
        """The part of a personal reduction that counts: never more than the rule allows."""
        if not granted or not self.reduction_max:
            return ZERO
        return min(max(granted, ZERO), self.reduction_max)


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
    label_en: str = ""

    @property
    def display_label(self) -> str:
        return in_active_language(self.label, self.label_en)


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
    # Where the pace so far ends up by the period's end; None while the pace is not known.
    projected_points: Decimal | None
    status: str
    points_per_year: Decimal | None = None
    reduction: Decimal = ZERO  # taken off the requirement's total for this learner
    kind: str = "points"
    # Enough history for a pace and a projection (pace.PACE_MIN_DAYS, PACE_MIN_ENTRIES).
    pace_known: bool = True
    # Points earned outside the period: they do not count toward it.
    points_before_period: Decimal = ZERO
    points_after_period: Decimal = ZERO

    @property
    def met(self) -> bool:
        return self.status == Status.MET

    @property
    def required_before_reduction(self) -> Decimal | None:
        return self.required + self.reduction if self.required is not None else None

    @property
    def started_recently(self) -> bool:
        return (self.on - self.period_start).days < STARTED_DAYS

    @property
    def points_outside_period(self) -> Decimal:
        return self.points_before_period + self.points_after_period


def requirement_in_force(
    requirements: Iterable[RequirementData], day: date, *, profession_id: int | None = None
) -> RequirementData | None:
    """The version valid on a day (the day the learner's period ends): one for the learner's
    profession wins over one for every profession, a temporary version (with an end) over a
    standing one, then the newest."""
    valid = [
        r
        for r in requirements
        if valid_on(day, valid_from=r.valid_from, valid_until=r.valid_until)
        and (r.profession_id is None or r.profession_id == profession_id)
    ]
    if not valid:
        return None
    return max(
        valid,
        key=lambda r: (r.profession_id is not None, r.valid_until is not None, r.valid_from, r.id),
    )


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


class _RulesApplied(NamedTuple):
    outcomes: tuple[RuleOutcome, ...]
    # Points the minima still lack, and the categories that would make them up.
    minimum_shortfall: Decimal
    short_minimum_categories: frozenset[int]
    # Categories whose cap is reached: more points there count for nothing.
    saturated: frozenset[int]


def _earnings_tally(
    earnings: Iterable[Earning], *, period_start: date, last_day: date, boundaries: list[date]
) -> tuple[dict[int, Decimal], list[Decimal]]:
    """Points earned from the period's start to ``last_day``, per category and per period year
    (years end on ``boundaries``)."""
    years = len(boundaries)
    by_year = [ZERO] * years
    earned: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for earning in earnings:
        if period_start <= earning.earned_on <= last_day:
            earned[earning.category_id] += earning.points
            year = min(bisect_right(boundaries, earning.earned_on), years - 1)
            by_year[year] += earning.points
    return earned, by_year


def _rules_apply(
    rules: tuple[CategoryRuleData, ...], *, earned: dict[int, Decimal], counted: dict[int, Decimal]
) -> _RulesApplied:
    """Each category rule against the points earned and counted per category."""
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
                rule.label_en,
            )
        )
    return _RulesApplied(
        tuple(outcomes),
        minimum_shortfall,
        frozenset(short_minimum_categories),
        frozenset(saturated),
    )


def _years_below_yearly_minimum(
    per_year: Decimal | None, by_year: list[Decimal], *, boundaries: list[date], on: date
) -> tuple[int, ...]:
    """The finished period years (1-based) with fewer points than the yearly minimum."""
    return tuple(
        n + 1
        for n, boundary in enumerate(boundaries)
        if per_year and boundary <= on and by_year[n] < per_year
    )


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
    profession_id: int | None = None,
    reduction_granted: Decimal | None = None,
) -> PointsEvaluation:
    """Points earned in a period counted against a requirement, with caps and minima applied,
    the rules for the learner's profession and the reduction their register granted them."""
    earnings = tuple(earnings)
    years = requirement.period_years if requirement else 5
    boundaries = [years_after(period_start, n) for n in range(1, years + 1)]
    earned, by_year = _earnings_tally(
        earnings, period_start=period_start, last_day=min(on, period_end), boundaries=boundaries
    )
    rules = requirement.rules_for(profession_id) if requirement else ()
    counted = _apply_caps(earned, rules)
    counted_total = sum(counted.values(), ZERO)
    applied = _rules_apply(rules, earned=earned, counted=counted)

    reduction = requirement.reduction_for(reduction_granted) if requirement else ZERO
    required = requirement.total_points - reduction if requirement else None
    shortfall_total = max(required - counted_total, ZERO) if required is not None else ZERO
    points_needed = max(shortfall_total, applied.minimum_shortfall)
    counting = applied.short_minimum_categories or frozenset(category_ids)
    spread = earnings_spread(
        earnings, period_start=period_start, period_end=period_end, last_day=min(on, period_end)
    )
    pace = pace_measure(
        counted_total,
        points_needed,
        period_start=period_start,
        period_end=period_end,
        on=on,
        entries=spread.entries_in_period,
    )
    per_year = requirement.points_per_year if requirement else None
    needed_per_year = pace.needed_per_year
    years_below = _years_below_yearly_minimum(per_year, by_year, boundaries=boundaries, on=on)
    return PointsEvaluation(
        register_id=register_id,
        register=register,
        requirement_id=requirement.id if requirement else None,
        required=required,
        period_start=period_start,
        period_end=period_end,
        on=on,
        earned=_tenths(sum(earned.values(), ZERO)),
        counted=_tenths(counted_total),
        shortfall_total=_tenths(shortfall_total),
        rules=applied.outcomes,
        points_needed=_tenths(points_needed),
        counting_category_ids=counting - applied.saturated if points_needed else frozenset(),
        points_by_year=tuple(_tenths(points) for points in by_year),
        years_below_yearly_minimum=years_below,
        points_per_year=per_year,
        reduction=_tenths(reduction),
        rate_per_year=_tenths(pace.rate_per_year),
        pace_needed_per_year=_tenths(needed_per_year) if needed_per_year is not None else None,
        projected_points=_tenths(pace.projected) if pace.known else None,
        status=status_decide(
            required=required,
            period_years=years,
            points_needed=points_needed,
            pace=pace,
            short_minima=[r for r in applied.outcomes if r.kind == MINIMUM and r.shortfall],
            on=on,
            period_end=period_end,
            year_below_minimum=bool(years_below),
        ),
        pace_known=pace.known,
        points_before_period=_tenths(spread.before),
        points_after_period=_tenths(spread.after),
    )
