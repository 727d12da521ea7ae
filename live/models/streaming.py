import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .sessions import LiveSession


class LiveStream(models.Model):
    """The live video of a session (decision 17): its stream key, who publishes now, and where
    its ladder is stored. The key itself is never stored, only its SHA-256."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for the presenter")
        LIVE = "live", _("Live")
        ENDED = "ended", _("Ended")

    session = models.OneToOneField(
        LiveSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="stream"
    )
    # The name nginx republishes the stream under and the storage folder: never the key.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_created_at = models.DateTimeField(_("key made at"), editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WAITING, editable=False
    )
    # nginx's client id of the presenter publishing now; empty when nobody publishes.
    publisher_client = models.CharField(max_length=40, blank=True, editable=False)
    publisher_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    publishes = models.PositiveIntegerField(default=0, editable=False)  # accepted, counting resumes
    started_at = models.DateTimeField(_("went live at"), null=True, blank=True, editable=False)
    publisher_left_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True, editable=False)
    # When the playlists were closed (ENDLIST): from then on the replay plays.
    replay_ready_at = models.DateTimeField(
        _("replay ready at"), null=True, blank=True, editable=False
    )
    # The replay as an on-demand episode of the course (playback's video, catalog's page);
    # ids, not keys: the live app reads them through those apps' api.
    replay_video_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    replay_episode_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The editor's trim, seconds from the recording's start; empty: the whole recording.
    trim_start_seconds = models.FloatField(null=True, blank=True, editable=False)
    trim_end_seconds = models.FloatField(null=True, blank=True, editable=False)
    # Why the encoder refused the current publish (audio only, …); empty while all is well.
    encoder_problem = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("live stream")
        verbose_name_plural = _("live streams")
        permissions = [("manage_stream", _("Can see and renew stream keys"))]

    def __str__(self) -> str:
        return str(self.session)

    @property
    def is_publishing(self) -> bool:
        return bool(self.publisher_client)
