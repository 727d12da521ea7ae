from django.conf import settings
from django.db import models


class PlaybackPreference(models.Model):
    """How a learner likes to watch, remembered on the server so that it follows them from the
    phone to the laptop: the playback speed and the subtitles language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="playback_preference",
    )
    # None: never chosen, the player's default (normal speed) holds.
    speed = models.FloatField(null=True, blank=True)
    # None: never chosen (subtitles off); "": chosen off; else a caption language code.
    captions = models.CharField(max_length=10, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"playback preference of learner {self.user_id}"
