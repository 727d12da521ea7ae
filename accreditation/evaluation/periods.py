from datetime import date, timedelta
from decimal import Decimal

DAYS_PER_YEAR = Decimal("365.25")


class Status:
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"
    # Too early to judge: no pace yet, or the first months of a period. Never an alarm.
    STARTED = "started"


def years_after(day: date, years: int) -> date:
    """The same calendar day ``years`` later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def valid_on(day: date, *, valid_from: date, valid_until: date | None) -> bool:
    """Whether a version of a rule holds on a day; one without an end holds from its start on."""
    return valid_from <= day and (valid_until is None or day <= valid_until)


def deadline_after_decision(decided_on: date, years: int = 5) -> date:
    """BIG: after a positive decision the new deadline is five years after the decision date,
    so re-registering early moves the deadline forward."""
    return years_after(decided_on, years)


def period_resolve(
    *, start: date | None, end: date | None, years: int, joined_on: date
) -> tuple[date, date]:
    """A registration's period with what is known of it; without dates it starts on the day the
    learner added the register. Both days count: a period of five years ends the day before
    the start's fifth anniversary (1-1-2026 to 31-12-2030), and the next begins on it, so
    periods never overlap and never leave a day out."""
    if start and end:
        return start, end
    if end:
        return years_after(end, -years) + timedelta(days=1), end
    start = start or joined_on
    return start, years_after(start, years) - timedelta(days=1)
