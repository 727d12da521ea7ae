"""Checks on a registration's period and personal reduction as a learner enters them: a clear
message for what cannot be a register's period, a warning for what is merely unusual."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..evaluation import years_after

# Dates further than this from today are a typing error, not a register's period.
PERIOD_DATES_WITHIN_YEARS = 25
# A period may start this far ahead (a learner entering the next period early), no further.
PERIOD_START_AHEAD_YEARS = 1
# Longer than this many of the register's periods is a typing error.
PERIOD_LONGEST_TIMES = 2
# Off the register's length by more than this, the learner is asked to confirm the dates.
PERIOD_LENGTH_SLACK_DAYS = 31


def hours_text(value: Decimal) -> str:
    """Hours as a learner writes them: 66, or 40,5 in Dutch."""
    whole = value == value.to_integral_value()
    return formats.localize(value.quantize(Decimal(1)) if whole else value)


def day_text(day: date) -> str:
    """A day as registers print it: 1-3-2022."""
    return formats.date_format(day, "j-n-Y")


def period_length_text(start: date, end: date) -> str:
    """The length of a period with both days included, in years and months: "4 years and 2
    months"."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month - (after.day < start.day)
    years, months = divmod(max(months, 0), 12)
    years_text = ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    months_text = ngettext("%(count)s month", "%(count)s months", months) % {"count": months}
    if years and months:
        return _("%(years)s and %(months)s") % {"years": years_text, "months": months_text}
    if years:
        return years_text
    if months:
        return months_text
    days = (after - start).days
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


def registration_period_problems(
    *, start: date | None, end: date | None, years: int, today: date
) -> dict[str, ValidationError]:
    """What makes these dates impossible as the register's period, per field."""
    problems: dict[str, ValidationError] = {}
    earliest = years_after(today, -PERIOD_DATES_WITHIN_YEARS)
    latest = years_after(today, PERIOD_DATES_WITHIN_YEARS)
    for field, day in (("period_start", start), ("period_end", end)):
        if day is not None and not earliest <= day <= latest:
            problems[field] = ValidationError(
                _("%(day)s is more than %(years)s years from today: check the year."),
                code="date_implausible",
                params={"day": day_text(day), "years": PERIOD_DATES_WITHIN_YEARS},
            )
    ahead = years_after(today, PERIOD_START_AHEAD_YEARS)
    if start and "period_start" not in problems and start > ahead:
        problems["period_start"] = ValidationError(
            _(
                "A period that starts on %(day)s is not the one you are in now: enter the "
                "period your register shows today."
            ),
            code="period_not_current",
            params={"day": day_text(start)},
        )
    if start and end and not problems:
        if end <= start:
            problems["period_end"] = ValidationError(
                _("The end of the period (%(end)s) must be after its start (%(start)s)."),
                code="period_reversed",
                params={"start": day_text(start), "end": day_text(end)},
            )
        elif end >= years_after(start, years * PERIOD_LONGEST_TIMES):
            problems["period_end"] = ValidationError(
                _(
                    "From %(start)s to %(end)s is %(length)s, more than twice the register's "
                    "period of %(years)s years: check the dates."
                ),
                code="period_too_long",
                params={
                    "start": day_text(start),
                    "end": day_text(end),
                    "length": period_length_text(start, end),
                    "years": years,
                },
            )
    return problems


def registration_period_length_warning(
    *, start: date | None, end: date | None, years: int
) -> str | None:
    """A warning when both days are given and the period is not the register's length."""
    if not (start and end) or end <= start:
        return None
    expected_end = years_after(start, years) - timedelta(days=1)
    if abs((end - expected_end).days) <= PERIOD_LENGTH_SLACK_DAYS:
        return None
    return _(
        "From %(start)s to %(end)s is %(length)s, but this register's periods last %(years)s "
        "years. Check the dates against your register, or confirm that it shows this period."
    ) % {
        "start": day_text(start),
        "end": day_text(end),
        "length": period_length_text(start, end),
        "years": years,
    }


def registration_reduction_problems(
    *, granted: Decimal, reduction_max: Decimal | None, register: str, has_evidence: bool
) -> dict[str, ValidationError]:
    """What stops a personal reduction from being stored, per field."""
    if reduction_max is None:
        return {
            "reduction_granted": ValidationError(
                _("%(register)s grants no personal reduction for this period."),
                code="reduction_not_granted_here",
                params={"register": register},
            )
        }
    problems: dict[str, ValidationError] = {}
    if granted <= 0:
        problems["reduction_granted"] = ValidationError(
            _("Enter the reduction in hours, more than 0."), code="reduction_not_positive"
        )
    elif granted > reduction_max:
        problems["reduction_granted"] = ValidationError(
            _(
                "%(register)s grants at most %(max)s hours off; you entered %(granted)s. Enter "
                "the reduction as your register's decision states it."
            ),
            code="reduction_over_cap",
            params={
                "register": register,
                "max": hours_text(reduction_max),
                "granted": hours_text(granted),
            },
        )
    if not has_evidence:
        problems["reduction_evidence"] = ValidationError(
            _("Add your register's decision on the reduction (PDF or photo)."),
            code="reduction_evidence_missing",
        )
    return problems
