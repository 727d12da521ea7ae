"""Evaluations against the seeded rules, with outcomes worked out by hand from those rules."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from accreditation import api
from accreditation.evaluation import (
    CategoryRuleData,
    Earning,
    RequirementData,
    points_evaluate,
    work_hours_evaluate,
    work_period_from_contract,
)
from accreditation.models import ActivityCategory, Register, Requirement
from accreditation.work_hours.services import big_decision_record, work_hours_entry_add
from tests.accreditation.factories import awards_make, registration_make
from tests.factories import UserFactory, learner_with_profile

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2029, 12, 31)
EARNED = date(2026, 3, 1)


def _evaluation(user, register_slug: str, on: date):
    register_id = Register.objects.get(slug=register_slug).pk
    return next(
        e for e in api.register_evaluations(user_id=user.pk, on=on) if e.register_id == register_id
    )


def _category_ids(*slugs) -> frozenset[int]:
    return frozenset(ActivityCategory.objects.filter(slug__in=slugs).values_list("pk", flat=True))


POINTS_CASES = [
    # id, register, earned per category, required, counted, points needed, status,
    # per rule (label: shortfall or points not counted), categories that still count
    (
        "venvn-184-with-90-accredited-met",
        "venvn",
        {"geaccrediteerd": 90, "overig": 94},
        184,
        184,
        0,
        "met",
        {"geaccrediteerd": ("shortfall", 0)},
        (),
    ),
    (
        "venvn-150-total-short-34",
        "venvn",
        {"geaccrediteerd": 80, "overig": 70},
        184,
        150,
        34,
        "not_met",
        {"geaccrediteerd": ("shortfall", 0)},
        "all",
    ),
    (
        "venvn-184-with-70-accredited-short-10-accredited",
        "venvn",
        {"geaccrediteerd": 70, "overig": 114},
        184,
        184,
        10,
        "not_met",
        {"geaccrediteerd": ("shortfall", 10)},
        ("geaccrediteerd",),
    ),
    (
        "napa-150-online-60-classroom-only-100-online-count",
        "napa",
        {"e-learning": 150, "klassikaal": 60},
        200,
        160,
        40,
        "not_met",
        {"online, niet live": ("not_counted", 50)},
        "all-but-e-learning",
    ),
    (
        "knmp-200-with-150-e-learning-only-100-count",
        "knmp-src-of",
        {"e-learning": 150, "klassikaal": 50},
        200,
        150,
        50,
        "not_met",
        {"e-learning": ("not_counted", 50)},
        "all-but-e-learning",
    ),
]


@pytest.mark.parametrize(
    ("register", "earned", "required", "counted", "needed", "status", "rules", "counting"),
    [case[1:] for case in POINTS_CASES],
    ids=[case[0] for case in POINTS_CASES],
)
def test_points_are_counted_with_caps_and_minima(
    register, earned, required, counted, needed, status, rules, counting
):
    user = UserFactory()
    registration_make(user=user, register_slug=register, start=START, end=END)
    awards_make(user=user, register_slug=register, earned_on=EARNED, points=earned)

    evaluation = _evaluation(user, register, on=END)

    assert evaluation.required == Decimal(required)
    assert evaluation.earned == Decimal(sum(earned.values()))
    assert evaluation.counted == Decimal(counted)
    assert evaluation.points_needed == Decimal(needed)
    assert evaluation.status == status
    assert evaluation.met is (needed == 0)
    outcomes = {rule.label: rule for rule in evaluation.rules}
    for label, (field, amount) in rules.items():
        assert getattr(outcomes[label], field) == Decimal(amount)
    all_ids = frozenset(ActivityCategory.objects.values_list("pk", flat=True))
    expected = {
        "all": all_ids,
        "all-but-e-learning": all_ids - _category_ids("e-learning"),
    }.get(counting, _category_ids(*counting) if counting != () else frozenset())
    assert evaluation.counting_category_ids == expected


def test_the_covid_leniency_applies_to_periods_ending_before_july_2027():
    user = UserFactory()
    registration_make(
        user=user, register_slug="venvn", start=date(2022, 4, 1), end=date(2027, 3, 31)
    )
    awards_make(
        user=user,
        register_slug="venvn",
        earned_on=date(2024, 1, 1),
        points={"geaccrediteerd": 64, "overig": 83},
    )
    evaluation = _evaluation(user, "venvn", on=date(2027, 3, 31))
    assert (evaluation.required, evaluation.counted, evaluation.status) == (147, 147, "met")
    assert evaluation.rules[0].points == 64


def test_a_new_rule_version_applies_only_from_its_valid_from_date():
    venvn = Register.objects.get(slug="venvn")
    Requirement.objects.create(
        register=venvn, total_points=200, period_years=5, valid_from=date(2030, 1, 1)
    )
    before, after = UserFactory(), UserFactory()
    registration_make(user=before, register_slug="venvn", start=START, end=date(2029, 12, 31))
    registration_make(user=after, register_slug="venvn", start=START, end=date(2030, 1, 1))
    for user in (before, after):
        awards_make(
            user=user,
            register_slug="venvn",
            earned_on=EARNED,
            points={"geaccrediteerd": 90, "overig": 94},
        )
    assert _evaluation(before, "venvn", on=date(2026, 6, 1)).points_needed == 0
    changed = _evaluation(after, "venvn", on=date(2026, 6, 1))
    assert (changed.required, changed.points_needed, changed.rules) == (200, 16, ())


def test_without_an_end_the_version_is_the_one_in_force_when_the_period_ends_not_today():
    venvn = Register.objects.get(slug="venvn")
    Requirement.objects.create(
        register=venvn, total_points=200, period_years=5, valid_from=date(2030, 1, 1)
    )
    user = UserFactory()
    # Five years from 1 June 2025 end on 31 May 2030, under the version valid from 2030.
    registration_make(user=user, register_slug="venvn", start=date(2025, 6, 1), end=None)
    evaluation = _evaluation(user, "venvn", on=date(2026, 6, 1))
    assert (evaluation.period_end, evaluation.required) == (date(2030, 5, 31), 200)


def test_pace_and_projection_follow_the_rate_so_far():
    user = UserFactory()
    registration_make(user=user, register_slug="venvn", start=START, end=END)
    awards_make(
        user=user,
        register_slug="venvn",
        earned_on=date(2025, 6, 1),
        points={"geaccrediteerd": 46, "overig": 46},
    )
    on = date(2027, 7, 1)
    evaluation = _evaluation(user, "venvn", on=on)
    # 92 points in 912 days; 914 days left; 92 more needed.
    assert evaluation.rate_per_year == Decimal("36.8")
    assert evaluation.pace_needed_per_year == Decimal("36.8")
    assert evaluation.projected_points == Decimal("184.2")
    assert evaluation.status == "on_track"
    assert evaluation.points_by_year == (92, 0, 0, 0, 0)

    slow = _evaluation(user, "venvn", on=date(2028, 7, 1))
    assert slow.status == "behind"


def test_a_yearly_minimum_flags_the_years_below_it():
    venvn = Register.objects.get(slug="venvn")
    Requirement.objects.filter(register=venvn).delete()
    Requirement.objects.create(
        register=venvn,
        total_points=200,
        period_years=5,
        points_per_year=40,
        valid_from=date(2020, 1, 1),
    )
    user = UserFactory()
    registration_make(user=user, register_slug="venvn", start=START, end=END)
    awards_make(user=user, register_slug="venvn", earned_on=date(2025, 3, 1), points={"overig": 45})
    awards_make(user=user, register_slug="venvn", earned_on=date(2026, 3, 1), points={"overig": 30})
    evaluation = _evaluation(user, "venvn", on=date(2027, 6, 1))
    assert evaluation.points_by_year == (45, 30, 0, 0, 0)
    assert evaluation.years_below_yearly_minimum == (2,)


def test_a_register_without_known_rules_is_reported_as_unknown():
    user = UserFactory()
    registration_make(user=user, register_slug="fysiotherapie", start=START, end=END)
    evaluation = _evaluation(user, "fysiotherapie", on=END)
    assert (evaluation.status, evaluation.required, evaluation.points_needed) == (
        "unknown",
        None,
        0,
    )


# --- BIG work hours ---------------------------------------------------------------------

DECIDED = date(2021, 1, 1)
DEADLINE = date(2026, 1, 1)  # five years after the decision


def _big_learner(hours_per_week: int):
    user = learner_with_profile(profession_slug="verpleegkundige", big_number="19012345601")
    registration = big_decision_record(user=user, decided_on=DECIDED)
    assert registration.period_end == DEADLINE
    work_hours_entry_add(
        user=user,
        kind="contract",
        start=DECIDED,
        end=DEADLINE - timedelta(days=1),
        hours_per_week=Decimal(hours_per_week),
    )
    return user


def test_big_8_hours_a_week_for_5_years_meets_the_2080_hour_norm():
    user = _big_learner(8)
    evaluation = _evaluation(user, "big", on=DEADLINE)
    # 1,826 days at 8/7 h a day; 2,080 h are reached after 2,080 / (8/7) = 1,820 days.
    assert evaluation.norm_hours == 2080
    assert evaluation.hours == Decimal("2086.9")
    assert evaluation.met and evaluation.shortfall == 0
    assert evaluation.norm_met_on == DECIDED + timedelta(days=1819)
    assert not evaluation.prc_route_applies


def test_big_halfway_at_8_hours_a_week_projects_the_day_the_norm_is_met():
    user = _big_learner(8)
    on = date(2023, 1, 1)  # 731 days worked: 835.4 h
    evaluation = _evaluation(user, "big", on=on)
    assert evaluation.hours == Decimal("835.4")
    assert evaluation.status == "on_track"
    assert evaluation.norm_met_on == on + timedelta(days=1089)  # (2080 - 835.43) / (8/7) ≈ 1089
    assert evaluation.hours_per_week == 8


def test_big_part_time_4_hours_a_week_falls_short_and_shows_the_prc_route():
    user = _big_learner(4)
    evaluation = _evaluation(user, "big", on=DEADLINE)
    # 1,826 days at 4/7 h a day.
    assert evaluation.hours == Decimal("1043.4")
    assert evaluation.shortfall == Decimal("1036.6")
    assert evaluation.norm_met_on is None
    assert evaluation.prc_route_applies
    assert evaluation.status == "not_met"


def test_big_psychology_professions_need_3120_hours():
    user = learner_with_profile(profession_slug="gz-psycholoog", big_number="19012345601")
    big_decision_record(user=user, decided_on=DECIDED)
    assert _evaluation(user, "big", on=DEADLINE).norm_hours == 3120


def test_overlapping_work_periods_never_count_twice():
    periods = [
        work_period_from_contract(start=date(2021, 1, 1), end=date(2021, 12, 31), hours_per_week=8),
        work_period_from_contract(start=date(2021, 7, 1), end=date(2022, 6, 30), hours_per_week=8),
        work_period_from_contract(start=date(2021, 3, 1), end=date(2021, 3, 7), hours_per_week=40),
    ]
    evaluation = work_hours_evaluate(
        register_id=1,
        register="BIG",
        norm_hours=2080,
        cycle_years=5,
        deadline=DEADLINE,
        periods=periods,
        on=DEADLINE,
    )
    # 2021-01-01 to 2022-06-30 is 546 days at 8/7 h, plus one week at 40 h instead of 8.
    assert evaluation.hours == Decimal("656.0")


def test_requirement_data_is_plain_and_frozen():
    requirement = RequirementData(1, 1, Decimal(184), 5, None, date(2020, 1, 1), None, "")
    with pytest.raises(AttributeError):
        requirement.total_points = Decimal(1)


# --- Status and projection ------------------------------------------------------------------

PERIOD_START, PERIOD_END = date(2026, 1, 1), date(2030, 12, 31)
ACCREDITED, OTHER = 1, 2


def _pure_evaluation(*, on: date, earnings: list[tuple[int, date, float]], minimum=None):
    """200 points in five years, optionally with at least ``minimum`` accredited."""
    rules = ()
    if minimum:
        rules = (CategoryRuleData("accredited", "min", Decimal(minimum), frozenset({ACCREDITED})),)
    requirement = RequirementData(
        1, 1, Decimal(200), 5, None, date(2020, 1, 1), None, "", rules=rules
    )
    return points_evaluate(
        register_id=1,
        register="Register",
        requirement=requirement,
        earnings=[
            Earning(category, Decimal(str(points)), day) for category, day, points in earnings
        ],
        period_start=PERIOD_START,
        period_end=PERIOD_END,
        on=on,
        category_ids=(ACCREDITED, OTHER),
    )


def _monthly(category: int, points: float, months: int, first=PERIOD_START):
    """An entry on the first of each month."""
    return [
        (category, first.replace(month=1 + n % 12, year=first.year + n // 12), points)
        for n in range(months)
    ]


# 48 points in the first 366 days (1 January to 1 January) with 1,460 days left: a rate of
# 47.9 a year, so about 48 + 47.9 x 1,460 / 365.25 = 239.5 points by the end.
STATUS_CASES = [
    # id, today, earnings, accredited minimum, status, pace known, projected points
    (
        "three-points-on-the-first-day",
        PERIOD_START,
        [(OTHER, PERIOD_START, 3)],
        None,
        "started",
        False,
        None,
    ),
    ("nothing-yet-in-the-first-months", date(2026, 4, 1), [], None, "started", False, None),
    (
        "a-slow-known-pace-in-the-first-half-year-is-no-alarm",
        date(2026, 5, 1),
        _monthly(OTHER, 1, 4),
        None,
        "started",
        True,
        Decimal("60.4"),
    ),
    ("nothing-after-a-year-is-behind", date(2027, 1, 1), [], None, "behind", False, None),
    (
        "two-big-entries-after-a-year-is-too-early-to-tell",
        date(2027, 1, 1),
        [(OTHER, date(2026, 3, 1), 60), (OTHER, date(2026, 9, 1), 60)],
        None,
        "started",
        False,
        None,
    ),
    (
        "a-steady-pace-that-makes-it-is-on-track",
        date(2027, 1, 1),
        _monthly(OTHER, 4, 12),
        None,
        "on_track",
        True,
        Decimal("239.5"),
    ),
    (
        "a-steady-pace-that-does-not-is-behind",
        date(2027, 1, 1),
        _monthly(OTHER, 2, 12),
        None,
        "behind",
        True,
        Decimal("119.7"),
    ),
    (
        "total-on-pace-but-the-minimum-its-own-pace-does-not-close",
        date(2027, 1, 1),
        _monthly(OTHER, 4, 12) + [(ACCREDITED, date(2026, 6, 1), 5)],
        80,
        "behind",
        True,
        Decimal("264.4"),
    ),
    (
        "a-short-minimum-whose-own-pace-closes-it-is-on-track",
        date(2027, 1, 1),
        _monthly(OTHER, 3, 12) + _monthly(ACCREDITED, 2, 12),
        80,
        "on_track",
        True,
        Decimal("299.3"),
    ),
    (
        "the-period-over-and-short-is-not-met",
        date(2031, 1, 1),
        _monthly(OTHER, 2, 12),
        None,
        "not_met",
        True,
        Decimal("24.0"),
    ),
    ("enough-is-met", date(2027, 1, 1), [(OTHER, date(2026, 6, 1), 200)], None, "met", False, None),
]


@pytest.mark.parametrize(
    ("on", "earnings", "minimum", "status", "pace_known", "projected"),
    [case[1:] for case in STATUS_CASES],
    ids=[case[0] for case in STATUS_CASES],
)
def test_status_and_projection_need_history_and_every_rule(
    on, earnings, minimum, status, pace_known, projected
):
    evaluation = _pure_evaluation(on=on, earnings=earnings, minimum=minimum)
    assert evaluation.status == status
    assert evaluation.pace_known is pace_known
    assert evaluation.projected_points == projected


def test_points_outside_the_period_are_counted_apart():
    evaluation = _pure_evaluation(
        on=date(2031, 2, 1),
        earnings=[
            (OTHER, date(2025, 12, 31), 4),
            (OTHER, PERIOD_START, 10),
            (OTHER, PERIOD_END, 1),
            (OTHER, date(2031, 1, 1), 3),
        ],
    )
    assert (evaluation.counted, evaluation.points_before_period) == (11, 4)
    assert (evaluation.points_after_period, evaluation.points_outside_period) == (3, 7)


def test_big_without_a_deadline_is_unknown_with_the_hours_so_far_and_no_prc_route():
    periods = [
        work_period_from_contract(start=date(2022, 1, 1), end=date(2026, 12, 31), hours_per_week=2)
    ]
    evaluation = work_hours_evaluate(
        register_id=1,
        register="BIG",
        norm_hours=2080,
        cycle_years=5,
        deadline=None,
        periods=periods,
        on=date(2026, 12, 31),
    )
    assert evaluation.status == "unknown"
    assert evaluation.hours == Decimal("521.7")  # 1,826 days at 2/7 h
    assert not evaluation.prc_route_applies and evaluation.norm_met_on is None
