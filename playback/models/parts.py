from django.db import models

from .video import Video


class TranscodePart(models.Model):
    """A piece of a long video's transcode that one worker does on its own.

    A video part is a keyframe-aligned chunk of the picture, encoded into every rung of the
    ladder; the audio part is the whole sound track, encoded once. The published playlists
    stitch the parts together in order (see ``playback.services.chunked``).
    """

    class Kind(models.TextChoices):
        VIDEO = "video", "video"
        AUDIO = "audio", "audio"

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="parts")
    generation = models.PositiveIntegerField()
    kind = models.CharField(max_length=5, choices=Kind.choices)
    index = models.PositiveIntegerField()
    start = models.FloatField(help_text="seconds into the video")
    duration = models.FloatField()
    source_key = models.CharField(max_length=300, help_text="the chunk, in video storage")
    done = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    encoded_seconds = models.FloatField(default=0)
    # Per stream: {"init": name, "init_sha": hex, "codecs": str, "segments": [[name, s, bytes]]},
    # only ever what is already in storage.
    streams = models.JSONField(default=dict)
    lease_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["video", "generation", "kind", "index"], name="playback_part_unique"
            ),
        ]
        ordering = ["video", "generation", "kind", "index"]

    def __str__(self) -> str:
        return f"{self.video} {self.kind} part {self.index}"

    @property
    def folder(self) -> str:
        """Where this part's files go inside each stream's folder."""
        return f"part_{self.index:04d}"
