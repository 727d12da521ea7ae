"""What other apps may use of the playback app.

``video_ready`` is sent (after the transaction commits) when a video's ladder is complete;
receivers get ``video_id`` and ``duration`` (seconds).

``episode_completed`` is sent (after the commit) once per learner and episode, when the
learner has watched enough of it; receivers get ``user_id``, ``episode_id`` and ``course_id``.

``course_completed`` is sent (after the commit) once per learner and course, when every
required episode is complete and every end test of one passed; receivers get ``user_id``,
``course_id`` and ``completed_at``.
"""

from django.dispatch import Signal

from .player import Chapter, NextEpisode, Player, PlayerState, player_for
from .progress import (
    EpisodeWatched,
    ResumePoint,
    course_ids_popular,
    course_ids_watched,
    episodes_watched,
    resume_dismiss,
    resume_points,
    watched_seconds_per_course,
)
from .services.assessment_pages import EpisodeTestSummary, episode_test_summary
from .services.completion import CourseCompletionData, course_completion_get, course_ids_completed

video_ready = Signal()
episode_completed = Signal()
course_completed = Signal()

__all__ = [
    "Chapter",
    "CourseCompletionData",
    "EpisodeTestSummary",
    "EpisodeWatched",
    "NextEpisode",
    "Player",
    "PlayerState",
    "ResumePoint",
    "course_completed",
    "course_completion_get",
    "course_ids_completed",
    "course_ids_popular",
    "course_ids_watched",
    "episode_completed",
    "episode_test_summary",
    "episodes_watched",
    "player_for",
    "resume_dismiss",
    "resume_points",
    "video_ready",
    "watched_seconds_per_course",
]
