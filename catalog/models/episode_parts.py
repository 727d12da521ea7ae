"""What an episode carries besides its video: chapters to jump to and documents to download."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from .pages import EpisodePage


class EpisodeChapter(Orderable):
    episode = ParentalKey(EpisodePage, on_delete=models.CASCADE, related_name="chapters")
    start = models.DurationField(_("starts at"), help_text=_("Minutes and seconds, e.g. 12:30."))
    title = models.CharField(_("title"), max_length=150)

    panels = [FieldRowPanel([FieldPanel("start"), FieldPanel("title")])]

    def __str__(self) -> str:
        return self.title


class EpisodeAttachment(Orderable):
    episode = ParentalKey(EpisodePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE
    )
    title = models.CharField(
        _("title"), max_length=150, blank=True, help_text=_("The document's own title if empty.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    def __str__(self) -> str:
        return self.title or self.document.title
