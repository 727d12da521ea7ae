"""What an episode carries besides its video: chapters to jump to, documents to download and
the questions of its end test."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import StreamField
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


class AnswerOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("answer"), max_length=300)
    correct = blocks.BooleanBlock(label=_("correct"), required=False)

    class Meta:
        icon = "tick"


class EpisodeQuestion(Orderable):
    """A multiple-choice question of an episode's end test."""

    episode = ParentalKey(EpisodePage, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    options = StreamField(
        [("option", AnswerOptionBlock())],
        verbose_name=_("answers"),
        min_num=2,
        max_num=8,
    )
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_("Shown with the result once the learner has passed or has no attempts left."),
    )

    panels = [FieldPanel("text"), FieldPanel("options"), FieldPanel("explanation")]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self):
        super().clean()
        if self.options and not any(option.value["correct"] for option in self.options):
            raise ValidationError({"options": _("Mark at least one answer as correct.")})
