"""Reads and small writes of learners' viewing progress, for the catalog's rows and cards."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Least

from .models import TestAttempt, ViewingProgress
from .watching import watched_share


@dataclass(frozen=True)
class ResumePoint:
    course_id: int
    episode_id: int
    position: float  # where to resume: the playhead
    duration: float
    last_watched_at: datetime
    watched_seconds: float = 0.0

    @property
    def fraction(self) -> float:
        """The share watched, for the progress bar."""
        return watched_share(watched_seconds=self.watched_seconds, duration=self.duration)


def resume_points(*, user_id: int, limit: int) -> list[ResumePoint]:
    """Per course the learner started and did not remove, the unfinished episode watched last;
    most recent first."""
    latest = (
        ViewingProgress.objects.filter(
            user_id=user_id, course_id=OuterRef("course_id"), completed_at__isnull=True
        )
        .order_by("-last_watched_at", "-pk")
        .values("pk")[:1]
    )
    rows = (
        ViewingProgress.objects.filter(
            user_id=user_id, dismissed=False, completed_at__isnull=True, pk=Subquery(latest)
        )
        .order_by("-last_watched_at", "-pk")
        .values(
            "course_id", "episode_id", "position", "duration", "last_watched_at", "watched_seconds"
        )[:limit]
    )
    return [ResumePoint(**row) for row in rows]


def resume_dismiss(*, user_id: int, course_id: int) -> int:
    """Take a course out of the learner's "Continue watching"; watching it again brings it back."""
    return ViewingProgress.objects.filter(user_id=user_id, course_id=course_id).update(
        dismissed=True
    )


def resume_undismiss(*, user_id: int, course_id: int) -> int:
    """Undo ``resume_dismiss``: the course is back in the learner's "Continue watching"."""
    return ViewingProgress.objects.filter(user_id=user_id, course_id=course_id).update(
        dismissed=False
    )


def watched_seconds_per_course(*, user_id: int, course_ids) -> dict[int, float]:
    rows = (
        ViewingProgress.objects.filter(user_id=user_id, course_id__in=course_ids)
        .values("course_id")
        .annotate(seconds=Sum(Least(F("watched_seconds"), F("duration"))))
    )
    return {row["course_id"]: row["seconds"] or 0.0 for row in rows}


def course_ids_watched(*, user_id: int):
    """The courses a learner has watched any of (a lazy query, usable as a subquery)."""
    return ViewingProgress.objects.filter(user_id=user_id).values_list("course_id", flat=True)


def course_ids_popular(*, since: datetime, user_ids, limit: int) -> list[int]:
    """Courses watched by the most of these learners (a subquery of user ids) since a moment."""
    rows = (
        ViewingProgress.objects.filter(last_watched_at__gte=since, user_id__in=user_ids)
        .values("course_id")
        .annotate(learners=Count("user_id", distinct=True), latest=Max("last_watched_at"))
        .order_by("-learners", "-latest")[:limit]
    )
    return [row["course_id"] for row in rows]


@dataclass(frozen=True)
class EpisodeWatched:
    fraction: float  # the share actually watched
    completed: bool  # watched far enough to count toward the course
    position: float = 0.0  # where the learner left off
    last_watched_at: datetime | None = None


def episodes_watched(*, user_id: int, episode_ids) -> dict[int, EpisodeWatched]:
    """How far a learner got with each of these episodes (only those they started)."""
    rows = ViewingProgress.objects.filter(user_id=user_id, episode_id__in=episode_ids).only(
        "episode_id", "watched_seconds", "duration", "completed_at", "position", "last_watched_at"
    )
    return {
        row.episode_id: EpisodeWatched(
            row.fraction, row.completed_at is not None, row.position, row.last_watched_at
        )
        for row in rows
    }


def episode_ids_test_passed(*, user_id: int, episode_ids) -> set[int]:
    """Of these episodes, those whose end test the learner has passed."""
    return set(
        TestAttempt.objects.filter(user_id=user_id, episode_id__in=list(episode_ids), passed=True)
        .values_list("episode_id", flat=True)
        .distinct()
    )
