"""The BIG work-hour log and the BIG deadline: what learners enter and what is refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from accreditation.evaluation import deadline_after_decision
from accreditation.models import Registration, WorkHoursEntry
from accreditation.work_hours.forms import BigReregistrationForm, WorkHoursEntryForm
from accreditation.work_hours.services import big_decision_record, work_hours_entry_add
from tests.factories import learner_with_profile

pytestmark = pytest.mark.django_db

# A week ahead: still in the future when a run started before midnight reaches this test after it.
NEXT_WEEK = timezone.localdate() + timedelta(days=7)


@pytest.fixture
def learner():
    return learner_with_profile(big_number="19012345601")


def _form(user, **fields):
    data = {"kind": "contract", "start": "2024-01-01", "end": "2024-12-31", **fields}
    return WorkHoursEntryForm(data, user=user)


def test_contract_hours_and_actual_hours_are_logged(learner):
    for fields in (
        {"hours_per_week": "24"},
        {"kind": "actual", "start": "2025-01-01", "end": "2025-03-31", "hours": "410"},
    ):
        form = _form(learner, **fields)
        assert form.is_valid(), form.errors
        work_hours_entry_add(user=learner, **form.cleaned_data)
    assert WorkHoursEntry.objects.filter(user=learner).count() == 2


BAD_ENTRIES = [
    (
        "negative-hours-per-week",
        {"hours_per_week": "-1"},
        "hours_per_week",
        "Hours per week must be between 0 and 168.",
    ),
    (
        "over-168-a-week",
        {"hours_per_week": "168.5"},
        "hours_per_week",
        "Hours per week must be between 0 and 168.",
    ),
    ("contract-without-hours", {}, "hours_per_week", "Enter your contract hours per week."),
    (
        "negative-actual-hours",
        {"kind": "actual", "hours": "-8"},
        "hours",
        "Hours cannot be negative.",
    ),
    (
        "actual-hours-over-168-a-week",
        {"kind": "actual", "start": "2024-01-01", "end": "2024-01-07", "hours": "170"},
        "hours",
        "170 hours in 7 days is more than 168 hours a week.",
    ),
    (
        "end-in-the-future",
        {"hours_per_week": "24", "end": NEXT_WEEK.isoformat()},
        "end",
        "The end date is in the future: log hours once you have worked them.",
    ),
    (
        "start-in-the-future",
        {"hours_per_week": "24", "start": NEXT_WEEK.isoformat(), "end": NEXT_WEEK.isoformat()},
        "start",
        "The start date is in the future: log hours once you have worked them.",
    ),
    (
        "end-before-start",
        {"hours_per_week": "24", "start": "2024-06-01", "end": "2024-05-01"},
        "end",
        "The end date is before the start date.",
    ),
]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [case[1:] for case in BAD_ENTRIES],
    ids=[case[0] for case in BAD_ENTRIES],
)
def test_impossible_hours_and_dates_are_refused_and_nothing_is_saved(
    learner, fields, field, message
):
    with translation.override("en"):
        form = _form(learner, **fields)
        assert not form.is_valid()
        assert form.errors[field] == [message]
        data = {
            "kind": fields.get("kind", "contract"),
            "start": date.fromisoformat(fields.get("start", "2024-01-01")),
            "end": date.fromisoformat(fields.get("end", "2024-12-31")),
            "hours_per_week": Decimal(fields["hours_per_week"])
            if "hours_per_week" in fields
            else None,
            "hours": Decimal(fields["hours"]) if "hours" in fields else None,
        }
        with pytest.raises(ValidationError) as refused:
            work_hours_entry_add(user=learner, **data)
        assert refused.value.message_dict[field] == [message]
    assert not WorkHoursEntry.objects.filter(user=learner).exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2024-06-01", "2025-05-31"),  # overlaps the end
        ("2023-06-01", "2024-01-01"),  # touches the first day
        ("2024-03-01", "2024-04-01"),  # inside
        ("2023-01-01", "2025-12-31"),  # around
    ],
)
def test_overlapping_ranges_are_refused_with_the_entry_they_overlap(learner, start, end):
    work_hours_entry_add(
        user=learner,
        kind="contract",
        start=date(2024, 1, 1),
        end=date(2024, 12, 31),
        hours_per_week=Decimal(24),
    )
    with translation.override("en"):
        form = _form(learner, start=start, end=end, hours_per_week="16")
        assert not form.is_valid()
        assert form.non_field_errors() == [
            "These dates overlap your entry from 01/01/2024 to 31/12/2024. Change that entry or "
            "choose other dates."
        ]
    with pytest.raises(ValidationError, match="overlap"):
        work_hours_entry_add(
            user=learner,
            kind="contract",
            start=date.fromisoformat(start),
            end=date.fromisoformat(end),
            hours_per_week=Decimal(16),
        )
    assert WorkHoursEntry.objects.filter(user=learner).count() == 1


def test_adjacent_ranges_are_not_an_overlap(learner):
    work_hours_entry_add(
        user=learner,
        kind="contract",
        start=date(2024, 1, 1),
        end=date(2024, 6, 30),
        hours_per_week=Decimal(24),
    )
    assert _form(learner, start="2024-07-01", hours_per_week="32").is_valid()


@pytest.mark.parametrize(
    ("big_number", "message"),
    [
        ("1234567890", "Een BIG-nummer bestaat uit precies 11 cijfers; je vulde 10 tekens in."),
        ("123456789012", "Een BIG-nummer bestaat uit precies 11 cijfers; je vulde 12 tekens in."),
        ("1234567890A", "Een BIG-nummer bestaat uit precies 11 cijfers; je vulde 11 tekens in."),
    ],
)
def test_a_big_number_that_is_not_11_digits_is_refused_in_dutch(learner, big_number, message):
    with translation.override("nl"):
        form = BigReregistrationForm({"big_number": big_number, "decided_on": "2024-05-01"})
        assert not form.is_valid()
        assert form.errors["big_number"] == [message]


def test_a_decision_in_the_future_is_refused(learner):
    with translation.override("en"):
        form = BigReregistrationForm(
            {"big_number": "19012345601", "decided_on": NEXT_WEEK.isoformat()}
        )
        assert form.errors["decided_on"] == ["The decision date is in the future."]
    with pytest.raises(ValidationError):
        big_decision_record(user=learner, decided_on=NEXT_WEEK)


def test_a_positive_decision_sets_the_deadline_five_years_later(learner):
    registration = big_decision_record(
        user=learner, decided_on=date(2024, 5, 1), big_number="19012345601"
    )
    assert (registration.period_start, registration.period_end) == (
        date(2024, 5, 1),
        date(2029, 5, 1),
    )
    # Re-registering early moves the deadline forward from the decision, not the old deadline.
    big_decision_record(user=learner, decided_on=date(2025, 2, 3))
    registration = Registration.objects.get(user=learner, register__slug="big")
    assert registration.period_end == date(2030, 2, 3)
    assert registration.member_number == "19012345601"


def test_a_deadline_from_29_february_falls_on_28_february():
    assert deadline_after_decision(date(2024, 2, 29)) == date(2029, 2, 28)
