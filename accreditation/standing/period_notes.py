"""Why an activity does not count toward a period: said wherever activities are listed, so an
entry outside the period is never left out without a word."""

from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _


def outside_period_note(earned_on: date, period_start: date, period_end: date) -> str:
    """The reason an activity on this day falls outside the period; empty when it is inside."""
    if earned_on < period_start:
        return _("before your period (which begins %(day)s)") % {
            "day": formats.date_format(period_start, "j-n-Y")
        }
    if earned_on > period_end:
        return _("after the end of your period (which ends %(day)s)") % {
            "day": formats.date_format(period_end, "j-n-Y")
        }
    return ""
