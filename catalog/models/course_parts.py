from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from .pages import CoursePage


class CourseSpeaker(Orderable):
    """A speaker of a course, in the order the course page lists them."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="speakers")
    speaker = models.ForeignKey(
        "catalog.Speaker", verbose_name=_("speaker"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("speaker")]

    class Meta(Orderable.Meta):
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        constraints = [
            models.UniqueConstraint(fields=["course", "speaker"], name="course_speaker_once")
        ]

    def __str__(self) -> str:
        return f"{self.speaker} in {self.course}"
