"""What other apps may use of the playback app: the player, learners' progress, end-test
standing and course completions. A video that becomes ready tells the catalog through
``catalog.api.course_durations_refresh``; a completed course is reported to accreditation
through ``accreditation.api.course_completed``: each fact takes one channel."""

from .access import course_access
from .layout import DELTA_PLAYLIST_NAME, PLAYLIST_NAME
from .player import Player, PlayerState, player_for
from .progress import (
    EpisodeWatched,
    ResumePoint,
    course_ids_popular,
    course_ids_watched,
    episode_ids_test_passed,
    episodes_watched,
    resume_dismiss,
    resume_points,
    resume_undismiss,
    watched_seconds_per_course,
)
from .services.assessment_pages import EpisodeTestSummary, episode_test_summary
from .services.completion import (
    CourseCompletionData,
    course_completion_get,
    course_completion_report,
    course_ids_completed,
)
from .services.live_encoding import LiveSourceRefused, live_encode
from .services.live_playlists import live_playlists_close
from .services.recordings import (
    MIN_TRIMMED_SECONDS,
    RecordingData,
    RecordingRangeError,
    recording_length,
    video_recording_poster,
    video_recording_register,
    video_recording_trim,
)
from .storage import cache_control_for, content_type_for

__all__ = [
    "DELTA_PLAYLIST_NAME",
    "MIN_TRIMMED_SECONDS",
    "PLAYLIST_NAME",
    "CourseCompletionData",
    "EpisodeTestSummary",
    "EpisodeWatched",
    "LiveSourceRefused",
    "Player",
    "PlayerState",
    "RecordingData",
    "RecordingRangeError",
    "ResumePoint",
    "cache_control_for",
    "content_type_for",
    "course_access",
    "course_completion_get",
    "course_completion_report",
    "course_ids_completed",
    "course_ids_popular",
    "course_ids_watched",
    "episode_ids_test_passed",
    "episode_test_summary",
    "episodes_watched",
    "live_encode",
    "live_playlists_close",
    "player_for",
    "recording_length",
    "resume_dismiss",
    "resume_points",
    "resume_undismiss",
    "video_recording_poster",
    "video_recording_register",
    "video_recording_trim",
    "watched_seconds_per_course",
]
