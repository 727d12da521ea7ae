from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, RevisionMixin
from wagtail.search import index


class SectionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    intro = blocks.TextBlock(label=_("introduction"), required=False, max_length=600)
    items = blocks.ListBlock(
        blocks.PageChooserBlock(page_type=["catalog.CoursePage", "catalog.EpisodePage"]),
        label=_("courses and episodes, in order"),
        min_num=1,
    )

    class Meta:
        icon = "list-ol"
        label = _("section")


class CuratedPath(DraftStateMixin, RevisionMixin, index.Indexed, models.Model):
    """A learning path the editors compose, in sections with a short introduction each;
    learners follow it or copy it into a path of their own."""

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    intro = models.TextField(_("introduction"), max_length=1000, blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sections = StreamField([("section", SectionBlock())], verbose_name=_("sections"))
    featured = models.BooleanField(_("show on the home page"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("position on the home page"), default=0)

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("slug")]),
        FieldPanel("intro"),
        FieldPanel("cover_image"),
        FieldRowPanel([FieldPanel("featured"), FieldPanel("sort_order")]),
        FieldPanel("sections"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("curated learning path")
        verbose_name_plural = _("curated learning paths")
        ordering = ["sort_order", "title"]

    def __str__(self) -> str:
        return self.title


class CuratedPathFollow(models.Model):
    curated_path = models.ForeignKey(CuratedPath, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_curated_paths"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["curated_path", "user"], name="curated_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.curated_path_id}"
