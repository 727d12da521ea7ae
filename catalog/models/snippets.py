from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class BilingualName(models.Model):
    """A name editors give in Dutch and, optionally, in English."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "nl").startswith("en"):
            return self.name_en
        return self.name


class Profession(index.Indexed, BilingualName):
    """A healthcare profession a course can target and a learner can hold."""

    big_reregistration = models.BooleanField(
        _("BIG re-registration"),
        default=False,
        help_text=_("Registered in the BIG register with re-registration every five years."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("big_reregistration"),
        FieldPanel("sort_order"),
    ]

    class Meta(BilingualName.Meta):
        verbose_name = _("profession")
        verbose_name_plural = _("professions")


class Competency(index.Indexed, BilingualName):
    """A CanMEDS role: the kind of competence a course builds."""

    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("description_en"),
        FieldPanel("sort_order"),
    ]

    class Meta(BilingualName.Meta):
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    @property
    def display_description(self) -> str:
        if self.description_en and (get_language() or "nl").startswith("en"):
            return self.description_en
        return self.description


class Topic(index.Indexed, BilingualName):
    """A subject learners look for: palliatieve zorg, dermatologie, leefstijl …"""

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug")]

    class Meta(BilingualName.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class Organisation(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Provider(Organisation):
    """Who offers a course and answers for its accreditation: an academy, society or hospital."""

    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("website"),
        FieldPanel("logo"),
        FieldPanel("description"),
    ]

    class Meta(Organisation.Meta):
        verbose_name = _("provider")
        verbose_name_plural = _("providers")


class Sponsor(Organisation):
    """A company that paid towards a course; learners are always told (sponsor disclosure)."""

    panels = [FieldPanel("name"), FieldPanel("website"), FieldPanel("logo")]

    class Meta(Organisation.Meta):
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")


class Speaker(index.Indexed, models.Model):
    """Someone who teaches in courses: shown on a course page with a short bio."""

    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(
        _("role"),
        max_length=150,
        blank=True,
        help_text=_("Profession and where they work, e.g. “Wondconsulent, Isala Zwolle”."),
    )
    bio = models.TextField(
        _("short bio"),
        max_length=400,
        blank=True,
        help_text=_("Two or three sentences: what they do and why they teach this."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("bio"), FieldPanel("photo")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name
