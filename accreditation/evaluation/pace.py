"""How fast a learner earns points and what that says about their standing: a pace only with
enough history, and no alarm in the first months of a period."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from .periods import DAYS_PER_YEAR, Status

if TYPE_CHECKING:
    from .points import Earning, RuleOutcome

_ZERO = Decimal(0)
# A pace needs history: before this many days into the period, or with fewer entries in it,
# no rate is projected (three points on the first day are not 5,000 in five years).
PACE_MIN_DAYS = 90
PACE_MIN_ENTRIES = 3
# The first half year of a period is never "behind": the learner has only just begun.
STARTED_DAYS = 183


class Spread(NamedTuple):
    """How a learner's earnings lie against the period."""

    entries_in_period: int
    before: Decimal  # points earned before the period's first day
    after: Decimal  # points earned after its last day


class Pace(NamedTuple):
    rate_per_year: Decimal
    projected: Decimal
    needed_per_year: Decimal | None
    remaining_days: int
    elapsed_days: int
    known: bool


def earnings_spread(
    earnings: Iterable["Earning"], *, period_start: date, period_end: date, last_day: date
) -> Spread:
    entries = 0
    before = after = _ZERO
    for earning in earnings:
        if earning.earned_on < period_start:
            before += earning.points
        elif earning.earned_on > period_end:
            after += earning.points
        elif earning.earned_on <= last_day and earning.points > 0:
            entries += 1
    return Spread(entries, before, after)


def pace_measure(
    counted_total: Decimal,
    points_needed: Decimal,
    *,
    period_start: date,
    period_end: date,
    on: date,
    entries: int,
) -> Pace:
    """The points per year so far, where that rate ends up by the period's end, and the rate
    still needed (None when no time is left to earn what is missing). The pace is known only
    with enough history: PACE_MIN_DAYS into the period and PACE_MIN_ENTRIES entries."""
    elapsed_days = max((min(on, period_end) - period_start).days + 1, 1)
    remaining_days = max((period_end - on).days, 0)
    rate_per_year = counted_total * DAYS_PER_YEAR / elapsed_days
    projected = counted_total + rate_per_year * remaining_days / DAYS_PER_YEAR
    if points_needed and remaining_days:
        needed_per_year = points_needed * DAYS_PER_YEAR / remaining_days
    else:
        needed_per_year = _ZERO if not points_needed else None
    known = elapsed_days >= PACE_MIN_DAYS and entries >= PACE_MIN_ENTRIES
    return Pace(rate_per_year, projected, needed_per_year, remaining_days, elapsed_days, known)


def _pace_closes(pace: Pace, points_needed: Decimal, short_minima: Iterable["RuleOutcome"]) -> bool:
    if pace.rate_per_year * pace.remaining_days / DAYS_PER_YEAR < points_needed:
        return False
    # A short minimum is on track only if the pace in its own categories closes it.
    return all(
        rule.counted * pace.remaining_days / pace.elapsed_days >= rule.shortfall
        for rule in short_minima
    )


def status_decide(
    *,
    required: Decimal | None,
    period_years: int,
    points_needed: Decimal,
    pace: Pace,
    short_minima: Iterable["RuleOutcome"],
    on: date,
    period_end: date,
    year_below_minimum: bool = False,
) -> str:
    """Met; not met once the period is over; on track when a known pace closes the total and
    every short minimum; started (too early to judge) in the first half year, or without a
    pace while what is missing still fits the register's even pace; otherwise behind. A
    finished year below the register's yearly minimum is never met nor on track."""
    if required is None:
        return Status.UNKNOWN
    if on >= period_end and (points_needed or year_below_minimum):
        return Status.NOT_MET
    if year_below_minimum:
        return Status.BEHIND
    if not points_needed:
        return Status.MET
    if pace.known and _pace_closes(pace, points_needed, short_minima):
        return Status.ON_TRACK
    if pace.elapsed_days < STARTED_DAYS:
        return Status.STARTED
    if not pace.known and (pace.needed_per_year or _ZERO) <= required / period_years:
        return Status.STARTED
    return Status.BEHIND
