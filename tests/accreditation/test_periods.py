"""Period arithmetic. Registers count in whole periods of years (BIG: five years, Besluit
periodieke registratie Wet BIG; the quality registers' periods likewise, see the requirements in
accreditation/rules/reference_rules.py), the first and the last day both included."""

from datetime import date, timedelta

import pytest

from accreditation.evaluation import period_resolve, years_after

JOINED = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("start", "years", "end"),
    [
        (date(2026, 1, 1), 5, date(2030, 12, 31)),
        (date(2026, 12, 6), 5, date(2031, 12, 5)),
        (date(2026, 3, 1), 5, date(2031, 2, 28)),  # the day before 1 March, in a common year
        (date(2027, 3, 1), 5, date(2032, 2, 29)),  # ... and in a leap year
        (date(2026, 1, 31), 5, date(2031, 1, 30)),  # the last day is the 30th
        (
            date(2024, 2, 29),
            5,
            date(2029, 2, 27),
        ),  # no 29 Feb in 2029: next from the 28th
        (date(2024, 2, 29), 4, date(2028, 2, 28)),  # a leap year again: the day before the 29th
        (date(2026, 7, 1), 1, date(2027, 6, 30)),
    ],
)
def test_a_period_from_its_start_ends_the_day_before_its_anniversary(start, years, end):
    assert period_resolve(start=start, end=None, years=years, joined_on=JOINED) == (start, end)
    # The next period begins the day after: no day is left out or counted in two periods.
    assert years_after(start, years) == end + timedelta(days=1)


@pytest.mark.parametrize(
    ("end", "years", "start"),
    [
        (date(2030, 12, 31), 5, date(2026, 1, 1)),
        (date(2031, 2, 28), 5, date(2026, 3, 1)),
        (date(2029, 2, 28), 5, date(2024, 2, 29)),  # the day after 28 February 2024
        (date(2032, 2, 29), 5, date(2027, 3, 1)),  # 29 February 2027 does not exist
    ],
)
def test_a_period_from_its_end_starts_the_day_after_the_same_day_years_before(end, years, start):
    assert period_resolve(start=None, end=end, years=years, joined_on=JOINED) == (start, end)


def test_a_period_without_dates_runs_five_years_from_the_day_the_register_was_added():
    assert period_resolve(start=None, end=None, years=5, joined_on=JOINED) == (
        JOINED,
        date(2031, 12, 5),
    )


def test_a_period_with_both_dates_is_taken_as_the_register_gives_it():
    given = (date(2023, 4, 1), date(2028, 3, 31))
    assert period_resolve(start=given[0], end=given[1], years=5, joined_on=JOINED) == given
