import uuid

from django.conf import settings
from django.db import models

from ..watching import watched_share


class ViewingProgress(models.Model):
    """How far one learner got with one episode."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="viewing_progress"
    )
    episode = models.ForeignKey(
        "catalog.EpisodePage", on_delete=models.CASCADE, related_name="viewing_progress"
    )
    course = models.ForeignKey(
        "catalog.CoursePage", on_delete=models.CASCADE, related_name="viewing_progress"
    )
    position = models.FloatField(default=0)
    # The seconds actually played, as merged [start, end] ranges; watched_seconds is their sum.
    watched_ranges = models.JSONField(default=list, blank=True)
    watched_seconds = models.FloatField(default=0)
    duration = models.FloatField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_watched_at = models.DateTimeField()
    # Set when the learner removes the course from "Continue watching"; watching again clears it.
    dismissed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "episode"], name="progress_once_per_episode")
        ]
        indexes = [
            models.Index(fields=["user", "-last_watched_at"], name="progress_user_recent"),
            models.Index(fields=["course", "-last_watched_at"], name="progress_course_recent"),
        ]

    def __str__(self) -> str:
        return f"progress of learner {self.user_id} on episode {self.episode_id}"

    @property
    def fraction(self) -> float:
        """The share actually watched (the merged ranges), not the playhead's position."""
        return watched_share(watched_seconds=self.watched_seconds, duration=self.duration)


class PlaybackSession(models.Model):
    """One sitting of one learner with one episode, from pressing play; heartbeats belong to
    it and may credit at most twice its wall-clock time (playback at 2×). Starting another
    session on the same episode supersedes it: from then on its beats credit nothing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="playback_sessions"
    )
    episode = models.ForeignKey(
        "catalog.EpisodePage", on_delete=models.CASCADE, related_name="playback_sessions"
    )
    course = models.ForeignKey("catalog.CoursePage", on_delete=models.CASCADE, related_name="+")
    duration = models.FloatField()
    completion_share = models.FloatField()
    started_at = models.DateTimeField()
    last_seq = models.PositiveIntegerField(default=0)
    credited_seconds = models.FloatField(default=0)
    last_beat_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-started_at"], name="session_user_recent"),
            # The learner's live sessions on an episode, found at every start.
            models.Index(
                fields=["user", "episode"],
                condition=models.Q(superseded_at__isnull=True),
                name="session_live",
            ),
        ]

    def __str__(self) -> str:
        return f"playback session {self.id}"
