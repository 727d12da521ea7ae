"""What other apps may use of the playback app.

``video_ready`` is sent (after the transaction commits) when a video's ladder is complete;
receivers get ``video_id`` and ``duration`` (seconds).

``episode_completed`` is sent (after the commit) once per learner and episode, when the
learner has watched enough of it; receivers get ``user_id``, ``episode_id`` and ``course_id``.
"""

from django.dispatch import Signal

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

video_ready = Signal()
episode_completed = Signal()

__all__ = [
    "EpisodeWatched",
    "ResumePoint",
    "course_ids_popular",
    "course_ids_watched",
    "episode_completed",
    "episodes_watched",
    "resume_dismiss",
    "resume_points",
    "video_ready",
    "watched_seconds_per_course",
]
