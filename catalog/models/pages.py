from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The catalog's root: the learner's home with featured courses and rows."""

    hero_title = models.CharField(_("hero title"), max_length=120, blank=True)
    hero_text = models.TextField(_("hero text"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("hero_title"), FieldPanel("hero_text")]
    subpage_types = ["catalog.CoursePage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("catalog home")

    def get_context(self, request, *args, **kwargs):
        from catalog.selectors import course_cards_newest

        context = super().get_context(request, *args, **kwargs)
        context["newest_courses"] = course_cards_newest(limit=12)
        return context


class CoursePage(Page):
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), max_length=600, blank=True)
    body = RichTextField(_("description"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    professions = ParentalManyToManyField(
        "catalog.Profession", verbose_name=_("target professions"), blank=True
    )
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=0)

    content_panels = Page.content_panels + [
        FieldPanel("subtitle"),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        FieldPanel("professions", widget=forms.CheckboxSelectMultiple),
        FieldPanel("duration_minutes"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("subtitle"),
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["catalog.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
