import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.search import index

from ..layout import hls_prefix, source_key
from ..reasons import reason_message


def video_source_path(video: "Video", filename: str) -> str:
    return source_key(video.uuid, filename)


class Video(index.Indexed, ClusterableModel):
    """An uploaded lecture and its way to an adaptive HLS stream.

    The state moves only through ``playback.services.states``; see ``TRANSITIONS`` there.
    """

    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        PROBING = "probing", _("Checking")
        TRANSCODING = "transcoding", _("Transcoding")
        READY = "ready", _("Ready")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    source = models.FileField(
        _("source file"), upload_to=video_source_path, max_length=500, blank=True
    )
    source_name = models.CharField(_("original file name"), max_length=255, blank=True)
    source_size = models.BigIntegerField(_("file size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.UPLOADED, db_index=True
    )
    # Why a video was rejected or failed, as a code from playback.reasons and its values, so
    # editors read it in their own language.
    reason_code = models.CharField(_("reason"), max_length=40, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    error_detail = models.TextField(_("technical detail"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    progress = models.FloatField(_("progress (%)"), default=0)
    # Bumped by "transcode again": a new generation is written beside the live one.
    generation = models.PositiveIntegerField(default=1)
    published_generation = models.PositiveIntegerField(null=True, blank=True)
    # A long video's parts are queued while its source is still being cut; the generation
    # whose cutting has finished is recorded here, so it is only finished once all are known.
    parts_cut_generation = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # A ladder that was never transcoded here: a live webinar's recording, delivered from the
    # live folder it was stored in (decision 17). Empty for an upload.
    recorded_folder = models.CharField(max_length=200, blank=True, editable=False)

    poster = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("poster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Chosen from the video automatically; choose another image to replace it."),
    )
    probe = models.JSONField(_("probe result"), null=True, blank=True)
    duration = models.FloatField(_("duration (s)"), null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    frame_rate = models.FloatField(null=True, blank=True)
    has_audio = models.BooleanField(default=False)

    # Held by the worker processing the video, renewed while it works; a dead worker's lease
    # runs out so another can take over, and a duplicate job never runs beside a live one.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # Set once the job reached the broker; a video without it is queued again by a sweeper.
    queued_at = models.DateTimeField(null=True, blank=True)
    playable_at = models.DateTimeField(_("playable since"), null=True, blank=True)
    ready_at = models.DateTimeField(_("ready since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("poster"),
        InlinePanel("captions", label=_("Captions"), heading=_("Captions")),
    ]
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.FilterField("state"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        constraints = [
            models.UniqueConstraint(
                fields=["recorded_folder"],
                condition=~models.Q(recorded_folder=""),
                name="playback_video_recorded_folder_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def storage_prefix(self) -> str:
        return self.recorded_folder or hls_prefix(self.uuid, self.generation)

    @property
    def reason(self) -> str:
        return reason_message(self.reason_code, self.reason_params)

    @property
    def is_playable(self) -> bool:
        return self.published_generation is not None


class Rendition(models.Model):
    """One rung of the ladder for one generation of a video: a media playlist and its segments."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="renditions")
    generation = models.PositiveIntegerField()
    name = models.CharField(max_length=20)
    kind = models.CharField(
        max_length=10, choices=[("video", "video"), ("audio", "audio")], default="video"
    )
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    codecs = models.CharField(max_length=60, blank=True)
    bandwidth = models.PositiveIntegerField(_("peak bit rate"), default=0)
    average_bandwidth = models.PositiveIntegerField(_("average bit rate"), default=0)
    segment_count = models.PositiveIntegerField(default=0)
    playlist_path = models.CharField(max_length=500)
    complete = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["video", "generation", "name"], name="playback_rendition_unique"
            ),
        ]
        ordering = ["video", "generation", "-height"]

    def __str__(self) -> str:
        return f"{self.video} {self.name}"
