"""Reads of the learner's BIG work-hour log."""

from ..models import WorkHoursEntry


def work_hours_list(*, user) -> list[WorkHoursEntry]:
    return list(WorkHoursEntry.objects.filter(user=user).order_by("-start"))
