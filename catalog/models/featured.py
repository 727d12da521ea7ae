from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, PageChooserPanel
from wagtail.models import Orderable


class FeaturedCollectionQuerySet(models.QuerySet):
    def showing(self, on=None):
        """Collections to show on a day: active and inside their dates, in the editors' order."""
        on = on or timezone.localdate()
        return (
            self.filter(active=True)
            .filter(models.Q(show_from__isnull=True) | models.Q(show_from__lte=on))
            .filter(models.Q(show_until__isnull=True) | models.Q(show_until__gte=on))
            .order_by("sort_order", "pk")
        )


class FeaturedCollection(ClusterableModel):
    """An ordered set of courses editors put in the spotlight ("Uitgelicht").

    The first course of the first collection showing is the home page's hero."""

    title = models.CharField(_("title"), max_length=80)
    title_en = models.CharField(_("title (English)"), max_length=80, blank=True)
    intro = models.CharField(
        _("introduction"),
        max_length=200,
        blank=True,
        help_text=_("One line under the row's title: why these courses belong together."),
    )
    intro_en = models.CharField(_("introduction (English)"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    show_from = models.DateField(_("show from"), null=True, blank=True)
    show_until = models.DateField(_("show until"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(
        _("position on the home page"), default=0, help_text=_("Lower comes first.")
    )

    objects = FeaturedCollectionQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("title_en")]),
        FieldRowPanel([FieldPanel("intro"), FieldPanel("intro_en")]),
        FieldRowPanel(
            [
                FieldPanel("active"),
                FieldPanel("show_from"),
                FieldPanel("show_until"),
                FieldPanel("sort_order"),
            ]
        ),
        InlinePanel("items", heading=_("Courses, in order"), label=_("course"), min_num=1),
    ]

    class Meta:
        verbose_name = _("featured collection")
        verbose_name_plural = _("featured collections")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        if self.title_en and (get_language() or "nl").startswith("en"):
            return self.title_en
        return self.title

    @property
    def display_intro(self) -> str:
        if self.intro_en and (get_language() or "nl").startswith("en"):
            return self.intro_en
        return self.intro

    def clean(self):
        super().clean()
        if self.show_from and self.show_until and self.show_until < self.show_from:
            raise ValidationError(
                {"show_until": _("The last day cannot come before the first day.")}
            )


class FeaturedCollectionItem(Orderable):
    collection = ParentalKey(FeaturedCollection, on_delete=models.CASCADE, related_name="items")
    course = models.ForeignKey(
        "catalog.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    pitch = models.CharField(
        _("why watch it"),
        max_length=160,
        blank=True,
        help_text=_("A short line that tempts a learner beyond their usual topics."),
    )

    panels = [PageChooserPanel("course", "catalog.CoursePage"), FieldPanel("pitch")]
