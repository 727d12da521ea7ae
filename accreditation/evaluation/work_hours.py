from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise
from math import ceil

from .periods import Status, years_after

RATE_WINDOW_DAYS = 365


@dataclass(frozen=True)
class WorkPeriod:
    """Hours worked spread evenly over the days of a range (both ends included)."""

    start: date
    end: date
    hours_per_day: Fraction


def work_period_from_contract(*, start: date, end: date, hours_per_week) -> WorkPeriod:
    return WorkPeriod(start, end, Fraction(str(hours_per_week)) / 7)


def work_period_from_actual_hours(*, start: date, end: date, hours) -> WorkPeriod:
    return WorkPeriod(start, end, Fraction(str(hours)) / ((end - start).days + 1))


@dataclass(frozen=True)
class WorkHoursEvaluation:
    register_id: int
    register: str
    norm_hours: int | None
    cycle_years: int
    deadline: date | None
    window_start: date
    window_end: date
    on: date
    hours: Decimal
    shortfall: Decimal
    # The day the norm was or, at the rate of the past year, will be reached; None when that
    # is not before the deadline.
    norm_met_on: date | None
    hours_per_week: Decimal
    # Short of the norm by the deadline: a refresher programme and test (scholingseis) giving
    # a PRC certificate is the route to re-registration.
    prc_route_applies: bool
    status: str
    kind: str = "work_hours"

    @property
    def met(self) -> bool:
        return self.status == Status.MET


def _segments(periods: list[WorkPeriod], first: date, last: date):
    """Consecutive day ranges with the hours per day worked in each; where entries overlap,
    the day counts once, at the highest rate."""
    clipped = [
        (max(p.start, first), min(p.end, last), p.hours_per_day)
        for p in periods
        if p.end >= first and p.start <= last and p.hours_per_day > 0
    ]
    cuts = sorted({s for s, _e, _r in clipped} | {e + timedelta(days=1) for _s, e, _r in clipped})
    for begin, stop in pairwise(cuts):
        rate = max((r for s, e, r in clipped if s <= begin <= e), default=Fraction(0))
        if rate:
            yield begin, (stop - begin).days, rate


def _hours(periods: list[WorkPeriod], first: date, last: date) -> Fraction:
    return sum((days * rate for _b, days, rate in _segments(periods, first, last)), Fraction(0))


def _day_norm_reached(periods, first: date, last: date, norm: int) -> date | None:
    total = Fraction(0)
    for begin, days, rate in _segments(periods, first, last):
        if total + days * rate >= norm:
            return begin + timedelta(days=ceil((norm - total) / rate) - 1)
        total += days * rate
    return None


def _decimal(value: Fraction, places: str = "0.1") -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(places), rounding=ROUND_HALF_UP
    )


def work_hours_evaluate(
    *,
    register_id: int,
    register: str,
    norm_hours: int | None,
    cycle_years: int,
    deadline: date | None,
    periods: Iterable[WorkPeriod],
    on: date,
) -> WorkHoursEvaluation:
    """Hours worked in the cycle before the BIG deadline against the profession's norm."""
    periods = list(periods)
    window_end = deadline - timedelta(days=1) if deadline else on
    window_start = years_after(window_end + timedelta(days=1), -cycle_years)
    last_day = min(on, window_end)
    hours = _hours(periods, window_start, last_day)
    recent_start = max(window_start, last_day - timedelta(days=RATE_WINDOW_DAYS - 1))
    recent_days = max((last_day - recent_start).days + 1, 1)
    rate_per_day = _hours(periods, recent_start, last_day) / recent_days

    met_on = None
    if norm_hours is None or deadline is None:
        # Without a deadline the window is not known: the hours of the past cycle are shown,
        # but whether they meet the norm, and by when, cannot be said.
        status = Status.UNKNOWN
    elif hours >= norm_hours:
        status = Status.MET
        met_on = _day_norm_reached(periods, window_start, last_day, norm_hours)
    else:
        if rate_per_day > 0:
            projected = last_day + timedelta(days=ceil((norm_hours - hours) / rate_per_day))
            met_on = projected if projected <= window_end else None
        if on >= window_end:
            status = Status.NOT_MET
        else:
            status = Status.ON_TRACK if met_on else Status.BEHIND
    shortfall = max(Fraction(norm_hours or 0) - hours, Fraction(0))
    return WorkHoursEvaluation(
        register_id=register_id,
        register=register,
        norm_hours=norm_hours,
        cycle_years=cycle_years,
        deadline=deadline,
        window_start=window_start,
        window_end=window_end,
        on=on,
        hours=_decimal(hours),
        shortfall=_decimal(shortfall),
        norm_met_on=met_on,
        hours_per_week=_decimal(rate_per_day * 7),
        prc_route_applies=status in (Status.BEHIND, Status.NOT_MET) and met_on is None,
        status=status,
    )
