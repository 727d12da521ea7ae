"""Writes of the BIG work-hour log and the BIG re-registration deadline."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ..evaluation import deadline_after_decision
from ..models import Register, Registration, WorkHoursEntry
from ..profiles.services import BIG_REGISTER_SLUG, big_number_assign

MAX_HOURS_PER_WEEK = 168


def work_hours_overlap_find(*, user, start: date, end: date, exclude_id=None):
    """The learner's first entry whose dates overlap a range (both ends included), or None."""
    entries = WorkHoursEntry.objects.filter(user=user, start__lte=end, end__gte=start)
    if exclude_id is not None:
        entries = entries.exclude(pk=exclude_id)
    return entries.order_by("start").first()


def work_hours_overlap_error(entry: WorkHoursEntry) -> ValidationError:
    return ValidationError(
        _(
            "These dates overlap your entry from %(start)s to %(end)s. Change that entry or "
            "choose other dates."
        ),
        code="work_hours_overlap",
        params={
            "start": formats.date_format(entry.start, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(entry.end, "SHORT_DATE_FORMAT"),
        },
    )


def work_hours_problems(
    *, kind: str, start: date, end: date, hours_per_week: Decimal | None, hours: Decimal | None
) -> dict[str, ValidationError]:
    """What is wrong with an entry, per field, before any overlap is looked at."""
    problems: dict[str, ValidationError] = {}
    today = timezone.localdate()
    if end > today:
        problems["end"] = ValidationError(
            _("The end date is in the future: log hours once you have worked them."),
            code="date_in_future",
        )
    if start > today:
        problems["start"] = ValidationError(
            _("The start date is in the future: log hours once you have worked them."),
            code="date_in_future",
        )
    if end < start:
        problems["end"] = ValidationError(
            _("The end date is before the start date."), code="range_reversed"
        )
    if kind == WorkHoursEntry.Kind.CONTRACT:
        if hours_per_week is None:
            problems["hours_per_week"] = ValidationError(
                _("Enter your contract hours per week."), code="required"
            )
        elif not 0 <= hours_per_week <= MAX_HOURS_PER_WEEK:
            problems["hours_per_week"] = ValidationError(
                _("Hours per week must be between 0 and 168."), code="hours_per_week_range"
            )
    elif hours is None:
        problems["hours"] = ValidationError(_("Enter the hours you worked."), code="required")
    elif hours < 0:
        problems["hours"] = ValidationError(_("Hours cannot be negative."), code="hours_negative")
    elif end >= start and hours > MAX_HOURS_PER_WEEK * Decimal((end - start).days + 1) / 7:
        problems["hours"] = ValidationError(
            _("%(hours)s hours in %(days)s days is more than 168 hours a week."),
            code="hours_per_week_range",
            params={"hours": hours, "days": (end - start).days + 1},
        )
    return problems


@transaction.atomic
def work_hours_entry_add(
    *,
    user,
    kind: str,
    start: date,
    end: date,
    hours_per_week: Decimal | None = None,
    hours: Decimal | None = None,
    employer: str = "",
) -> WorkHoursEntry:
    problems = work_hours_problems(
        kind=kind, start=start, end=end, hours_per_week=hours_per_week, hours=hours
    )
    if problems:
        raise ValidationError(problems)
    # Serialise one learner's additions, so two requests cannot both pass the overlap check.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    overlapping = work_hours_overlap_find(user=user, start=start, end=end)
    if overlapping:
        raise work_hours_overlap_error(overlapping)
    contract = kind == WorkHoursEntry.Kind.CONTRACT
    return WorkHoursEntry.objects.create(
        user=user,
        kind=kind,
        start=start,
        end=end,
        hours_per_week=hours_per_week if contract else None,
        hours=None if contract else hours,
        employer=employer,
    )


def work_hours_entry_delete(*, user, entry_id: int) -> None:
    WorkHoursEntry.objects.filter(user=user, pk=entry_id).delete()


@transaction.atomic
def big_decision_record(*, user, decided_on: date, big_number: str = "") -> Registration:
    """A positive re-registration decision: the new BIG deadline is five years after it."""
    if decided_on > timezone.localdate():
        raise ValidationError(_("The decision date is in the future."), code="date_in_future")
    register = Register.objects.get(slug=BIG_REGISTER_SLUG)
    if big_number:
        big_number_assign(user=user, big_number=big_number)
    registration, _created = Registration.objects.update_or_create(
        user=user,
        register=register,
        defaults={"period_start": decided_on, "period_end": deadline_after_decision(decided_on)},
    )
    return registration
