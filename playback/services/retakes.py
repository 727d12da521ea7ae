"""When a learner may take an end test again: the attempts left, the wait after a failed one,
and what to tell a learner who may not start one now."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog import api as catalog_api

from ..models import TestAttempt


@dataclass(frozen=True)
class AttemptAllowance:
    max_attempts: int  # 0: any number
    used: int  # attempts handed in
    passed: bool
    next_attempt_at: datetime | None  # a learner who failed waits until then
    checked_at: datetime

    @property
    def attempts_left(self) -> int | None:
        """None when any number is allowed."""
        if not self.max_attempts:
            return None
        return max(self.max_attempts - self.used, 0)

    @property
    def out_of_attempts(self) -> bool:
        return self.attempts_left == 0

    @property
    def may_start(self) -> bool:
        return not self.out_of_attempts and self.next_attempt_at is None

    @property
    def answers_shown(self) -> bool:
        """Right, wrong and the explanations only once they can no longer help a retake."""
        return self.passed or self.out_of_attempts

    @property
    def message(self) -> str:
        """Why no attempt can be started now, in the active language; empty when one can."""
        if self.out_of_attempts:
            if self.passed:
                return _("You passed this test; no attempts are left.")
            used = ngettext(
                "You have used your %(count)d attempt at this test without passing it.",
                "You have used all %(count)d attempts at this test without passing it.",
                self.max_attempts,
            ) % {"count": self.max_attempts}
            return f"{used} {_('Contact the provider of the course to ask what is possible.')}"
        if self.next_attempt_at is not None:
            return _("You can take the test again from %(moment)s.") % {
                "moment": moment_format(self.next_attempt_at, now=self.checked_at)
            }
        return ""


def moment_format(moment: datetime, *, now: datetime) -> str:
    """A day and time in the site's time zone, as "Tuesday 8 December, 14:30"; with the year
    when it is not this year."""
    local = timezone.localtime(moment)
    same_year = local.year == timezone.localtime(now).year
    return dateformat.format(local, "l j F, H:i" if same_year else "l j F Y, H:i")


def attempt_allowance(
    *, test: catalog_api.EndTest, handed_in: Sequence[TestAttempt], now: datetime
) -> AttemptAllowance:
    """What the learner may do next, from their handed-in attempts (any order)."""
    latest = max(handed_in, key=lambda attempt: (attempt.submitted_at, attempt.pk), default=None)
    next_attempt_at = None
    if latest is not None and not latest.passed and test.retake_wait_hours:
        until = latest.submitted_at + timedelta(hours=test.retake_wait_hours)
        if until > now:
            next_attempt_at = until
    return AttemptAllowance(
        max_attempts=test.max_attempts,
        used=len(handed_in),
        passed=any(attempt.passed for attempt in handed_in),
        next_attempt_at=next_attempt_at,
        checked_at=now,
    )


class RetakeRefused(Exception):
    """The learner may not start (or hand in) an attempt now; ``allowance`` says why."""

    def __init__(self, allowance: AttemptAllowance, *, episode_id: int, course_id: int):
        super().__init__(allowance.message)
        self.allowance = allowance
        self.episode_id = episode_id
        self.course_id = course_id
