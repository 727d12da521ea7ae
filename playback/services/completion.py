"""Course completion: every live required episode watched far enough and, where it has an end
test, passed. Recorded once per learner and course, and reported once."""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from accreditation import api as accreditation_api
from catalog import api as catalog_api

from ..models import CourseCompletion, TestAttempt, ViewingProgress

logger = logging.getLogger(__name__)


def course_requirements_met(*, user_id: int, course_id: int) -> bool:
    required = catalog_api.required_episodes(course_id=course_id)
    if required is None:
        return False
    ids = {episode.episode_id for episode in required}
    watched = set(
        ViewingProgress.objects.filter(
            user_id=user_id, episode_id__in=ids, completed_at__isnull=False
        ).values_list("episode_id", flat=True)
    )
    if ids - watched:
        return False
    tested = {episode.episode_id for episode in required if episode.has_questions}
    passed = set(
        TestAttempt.objects.filter(user_id=user_id, episode_id__in=tested, passed=True)
        .values_list("episode_id", flat=True)
        .distinct()
    )
    return not tested - passed


def course_completion_check(*, user_id: int, course_id: int) -> CourseCompletion | None:
    """Record the course as complete when it is; safe to call any number of times, also at the
    same moment: only the call that creates the record reports it (after the commit)."""
    existing = CourseCompletion.objects.filter(user_id=user_id, course_id=course_id).first()
    if existing is not None:
        return existing
    if not course_requirements_met(user_id=user_id, course_id=course_id):
        return None
    with transaction.atomic():
        # get_or_create falls back to reading the row when a concurrent insert wins the
        # unique constraint, so exactly one caller sees created=True.
        completion, created = CourseCompletion.objects.get_or_create(
            user_id=user_id, course_id=course_id, defaults={"completed_at": timezone.now()}
        )
        if created:

            def report() -> None:
                course_completion_report(
                    user_id=user_id, course_id=course_id, completed_at=completion.completed_at
                )

            # A failing receiver must not turn the learner's request into an error page: the
            # completion is stored, and accreditation's award is idempotent, so it can be re-sent
            # (``manage.py completions_report``). A named function: Django logs the failure by
            # the callback's ``__qualname__``, which a ``partial`` does not have.
            transaction.on_commit(report, robust=True)
    return completion


def course_completion_report(*, user_id: int, course_id: int, completed_at: datetime) -> None:
    """The one channel a completion takes out of playback: accreditation's API."""
    accreditation_api.course_completed(
        user_id=user_id, course_id=course_id, completed_at=completed_at
    )


@dataclass(frozen=True)
class ReportedAgain:
    reported: int
    failed: list[int]  # completion ids whose report raised


def course_completions_report_again(
    *, since: date | None = None, user_id: int | None = None
) -> ReportedAgain:
    """Report stored completions to accreditation again: after a report that failed, or for
    completions stored before accreditation awarded certificates. Accreditation awards and
    issues each once, however often it is told."""
    completions = CourseCompletion.objects.order_by("pk")
    if since is not None:
        completions = completions.filter(completed_at__date__gte=since)
    if user_id is not None:
        completions = completions.filter(user_id=user_id)
    reported, failed = 0, []
    for completion in completions.iterator():
        try:
            course_completion_report(
                user_id=completion.user_id,
                course_id=completion.course_id,
                completed_at=completion.completed_at,
            )
        except Exception:
            logger.exception("Reporting course completion %s again failed", completion.pk)
            failed.append(completion.pk)
        else:
            reported += 1
    return ReportedAgain(reported=reported, failed=failed)


def course_completions_on_learner_named(sender, *, user_id: int, **kwargs) -> None:
    """Certificates wait for the learner's name; once it is given, they are issued."""
    course_completions_report_again(user_id=user_id)


@dataclass(frozen=True)
class CourseCompletionData:
    user_id: int
    course_id: int
    completed_at: datetime


def course_completion_get(*, user_id: int, course_id: int) -> CourseCompletionData | None:
    completed_at = (
        CourseCompletion.objects.filter(user_id=user_id, course_id=course_id)
        .values_list("completed_at", flat=True)
        .first()
    )
    return CourseCompletionData(user_id, course_id, completed_at) if completed_at else None


def course_ids_completed(*, user_id: int):
    """The courses a learner completed (a lazy query, usable as a subquery)."""
    return CourseCompletion.objects.filter(user_id=user_id).values_list("course_id", flat=True)
