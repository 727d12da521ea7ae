from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel

from ..captions import captions_to_webvtt
from ..layout import caption_key


def caption_path(caption: "Caption", filename: str) -> str:
    return caption_key(caption.video.uuid, caption.language)


class Caption(models.Model):
    """Subtitles for one video in one language, stored as WebVTT."""

    video = ParentalKey("playback.Video", on_delete=models.CASCADE, related_name="captions")
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.PLAYBACK_CAPTION_LANGUAGES,
        default="nl",
    )
    file = models.FileField(
        _("caption file"),
        upload_to=caption_path,
        help_text=_("WebVTT (.vtt) or SRT (.srt); SRT is converted to WebVTT."),
    )

    panels = [FieldPanel("language"), FieldPanel("file")]

    class Meta:
        verbose_name = _("caption")
        verbose_name_plural = _("captions")
        constraints = [
            models.UniqueConstraint(fields=["video", "language"], name="playback_caption_language")
        ]

    def __str__(self) -> str:
        return f"{self.video} ({self.language})"

    def clean(self):
        upload = self.file.file if self.file and not self.file._committed else None
        if upload is not None:
            upload.seek(0)
            try:
                text = captions_to_webvtt(upload.read())
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from None
            self.file = ContentFile(text.encode(), name=f"{self.language}.vtt")
