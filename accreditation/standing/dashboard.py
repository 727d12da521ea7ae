"""What the "My accreditation" page shows per register: the registration, its evaluation, the
points-per-year chart, years below a yearly minimum, and which recent entries fall outside
their register's period."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from ..evaluation import PointsEvaluation, years_after
from ..profiles.selectors import registration_list
from .evaluations import RegisterEvaluation, register_evaluations
from .pace_chart import PaceChart, pace_chart
from .period_notes import outside_period_note

# Where the scholingseis and the PRC route are explained, per profession.
BIG_REREGISTRATION_URL = "https://www.bigregister.nl/herregistratie"


@dataclass(frozen=True)
class PeriodYear:
    number: int  # 1-based year of the period
    first_day: date
    last_day: date
    points: Decimal


@dataclass(frozen=True)
class YearlyMinimum:
    """A register that asks a minimum every year: the finished years below it and the year
    under way."""

    points_per_year: Decimal
    years_below: tuple[PeriodYear, ...]
    current: PeriodYear | None


@dataclass(frozen=True)
class RegisterCard:
    registration: object
    evaluation: RegisterEvaluation | None
    chart: PaceChart | None
    yearly_minimum: YearlyMinimum | None = None


@dataclass(frozen=True)
class EntryRow:
    entry: object
    # Why the entry does not count toward its register's period; empty when it does.
    outside_period: str


def _period_year(evaluation: PointsEvaluation, index: int) -> PeriodYear:
    first = years_after(evaluation.period_start, index)
    last = min(
        years_after(evaluation.period_start, index + 1) - timedelta(days=1),
        evaluation.period_end,
    )
    return PeriodYear(index + 1, first, last, evaluation.points_by_year[index])


def yearly_minimum(evaluation: PointsEvaluation) -> YearlyMinimum | None:
    if not evaluation.points_per_year or not evaluation.points_by_year:
        return None
    years = [_period_year(evaluation, n) for n in range(len(evaluation.points_by_year))]
    current = next((y for y in years if y.first_day <= evaluation.on <= y.last_day), None)
    return YearlyMinimum(
        evaluation.points_per_year,
        tuple(years[n - 1] for n in evaluation.years_below_yearly_minimum),
        current,
    )


def dashboard_register_cards(*, user, on: date) -> list[RegisterCard]:
    """The learner's registers in their order, each with its standing and chart."""
    evaluations = {e.register_id: e for e in register_evaluations(user_id=user.pk, on=on)}
    cards = []
    for registration in registration_list(user=user):
        evaluation = evaluations.get(registration.register_id)
        if isinstance(evaluation, PointsEvaluation):
            cards.append(
                RegisterCard(
                    registration,
                    evaluation,
                    pace_chart(evaluation),
                    yearly_minimum(evaluation),
                )
            )
        else:
            cards.append(RegisterCard(registration, evaluation, None))
    return cards


def entries_with_period_notes(entries, cards: list[RegisterCard]) -> list[EntryRow]:
    """Each entry with the reason it falls outside its register's period, if it does."""
    periods = {
        card.evaluation.register_id: (card.evaluation.period_start, card.evaluation.period_end)
        for card in cards
        if isinstance(card.evaluation, PointsEvaluation)
    }
    rows = []
    for entry in entries:
        period = periods.get(entry.register_id)
        note = outside_period_note(entry.earned_on, *period) if period else ""
        rows.append(EntryRow(entry, note))
    return rows


def registration_standing(*, registration) -> RegisterEvaluation | None:
    """The evaluation of one registration today, as the dashboard shows it."""
    on = timezone.localdate()
    return next(
        (
            evaluation
            for evaluation in register_evaluations(user_id=registration.user_id, on=on)
            if evaluation.register_id == registration.register_id
        ),
        None,
    )


def points_still_needed(cards: list[RegisterCard]) -> bool:
    return any(
        isinstance(card.evaluation, PointsEvaluation)
        and card.evaluation.required is not None
        and not card.evaluation.met
        for card in cards
    )
