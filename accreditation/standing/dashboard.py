"""What the "My accreditation" page shows per register: the registration, its evaluation and
the points-per-year chart."""

from dataclasses import dataclass
from datetime import date

from ..evaluation import PointsEvaluation
from ..profiles.selectors import registration_list
from .evaluations import RegisterEvaluation, register_evaluations
from .pace_chart import PaceChart, pace_chart

# Where the scholingseis and the PRC route are explained, per profession.
BIG_REREGISTRATION_URL = "https://www.bigregister.nl/herregistratie"


@dataclass(frozen=True)
class RegisterCard:
    registration: object
    evaluation: RegisterEvaluation | None
    chart: PaceChart | None


def dashboard_register_cards(*, user, on: date) -> list[RegisterCard]:
    """The learner's registers in their order, each with its standing and chart."""
    evaluations = {e.register_id: e for e in register_evaluations(user_id=user.pk, on=on)}
    cards = []
    for registration in registration_list(user=user):
        evaluation = evaluations.get(registration.register_id)
        chart = pace_chart(evaluation) if isinstance(evaluation, PointsEvaluation) else None
        cards.append(RegisterCard(registration, evaluation, chart))
    return cards


def points_still_needed(cards: list[RegisterCard]) -> bool:
    return any(
        isinstance(card.evaluation, PointsEvaluation)
        and card.evaluation.required is not None
        and not card.evaluation.met
        for card in cards
    )
