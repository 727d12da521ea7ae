"""Reads for staff: finding a learner and everything of their accreditation on one page."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from ..certificates.selectors import certificate_list
from ..ledger.selectors import ledger_entry_list
from ..models import Certificate, LedgerEntry, ProfessionalProfile, Registration
from ..profiles.selectors import professional_profile_get
from ..standing.dashboard import RegisterCard, dashboard_register_cards

# Each word of a search must match one of these; "anna visser" finds Anna Visser.
LEARNER_SEARCH_FIELDS = (
    "email",
    "first_name",
    "surname_prefix",
    "last_name",
    "professional_profile__big_number",
)


@dataclass(frozen=True)
class LearnerPortfolio:
    learner: object
    profile: ProfessionalProfile | None
    registers: list[RegisterCard]
    entries: list[LedgerEntry]
    certificates: list[Certificate]


def learner_list() -> QuerySet:
    return (
        get_user_model()
        .objects.select_related("professional_profile__profession")
        .order_by("last_name", "first_name", "email")
    )


def learner_search(*, learners: QuerySet, query: str) -> QuerySet:
    for word in query.split():
        learners = learners.filter(
            Q(
                *(Q(**{f"{field}__icontains": word}) for field in LEARNER_SEARCH_FIELDS),
                _connector=Q.OR,
            )
        )
    return learners


def learner_portfolio_get(*, user_id: int, on: date) -> LearnerPortfolio | None:
    learner = get_user_model().objects.filter(pk=user_id).first()
    if learner is None:
        return None
    return LearnerPortfolio(
        learner=learner,
        profile=professional_profile_get(user=learner),
        registers=dashboard_register_cards(user=learner, on=on),
        entries=ledger_entry_list(user=learner),
        certificates=certificate_list(user=learner),
    )


def learner_registration_get(*, registration_id: int) -> Registration | None:
    """Any learner's registration, for staff who may change registrations."""
    return (
        Registration.objects.select_related("register", "user").filter(pk=registration_id).first()
    )
