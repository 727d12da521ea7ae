from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..admin_forms import EpisodePageForm
from ..blocks import BaseStreamBlock
from ..durations import minutes_from_seconds
from .view_restrictions import CachedViewRestrictions


class HomePage(CachedViewRestrictions, Page):
    """The catalog's root: the learner's home with featured courses and rows."""

    hero_title = models.CharField(_("hero title"), max_length=120, blank=True)
    hero_text = models.TextField(_("hero text"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("hero_title"), FieldPanel("hero_text")]
    subpage_types = ["catalog.CoursePage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("catalog home")


class CoursePage(CachedViewRestrictions, Page):
    class Format(models.TextChoices):
        ON_DEMAND = "on_demand", _("On-demand video")
        WEBINAR = "webinar", _("Live webinar")
        CLASSROOM = "classroom", _("Classroom")

    class Level(models.TextChoices):
        BASIC = "basic", _("Basic")
        ADVANCED = "advanced", _("Advanced")
        EXPERT = "expert", _("Expert")

    LANGUAGES = [("nl", "Nederlands"), ("en", "English"), ("de", "Deutsch"), ("fr", "Français")]

    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), max_length=600, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("description"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Set its focal point so the cover crops well in rows and on phones."),
    )
    trailer = models.ForeignKey(
        "playback.Video",
        verbose_name=_("trailer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    provider = models.ForeignKey(
        "catalog.Provider",
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
    )
    sponsors = ParentalManyToManyField("catalog.Sponsor", verbose_name=_("sponsors"), blank=True)
    sponsor_disclosure = models.TextField(
        _("sponsor disclosure"),
        blank=True,
        help_text=_("Who paid towards this course and what influence they had, shown to learners."),
    )
    professions = ParentalManyToManyField(
        "catalog.Profession", verbose_name=_("target professions"), blank=True
    )
    competencies = ParentalManyToManyField(
        "catalog.Competency", verbose_name=_("competencies (CanMEDS)"), blank=True
    )
    topics = ParentalManyToManyField("catalog.Topic", verbose_name=_("topics"), blank=True)
    format = models.CharField(
        _("format"), max_length=12, choices=Format.choices, default=Format.ON_DEMAND
    )
    starts_at = models.DateTimeField(
        _("starts at"), null=True, blank=True, help_text=_("For a webinar or a classroom course.")
    )
    venue = models.CharField(_("venue"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGES, default="nl")
    price = models.DecimalField(
        _("price (€)"),
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("0 for a free course."),
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.BASIC)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        default=0,
        help_text=_("Worked out from the episodes' videos; set it only for a course without them."),
    )
    completion_percent = models.PositiveSmallIntegerField(
        _("share to watch for completion (%)"),
        default=90,
        validators=[MinValueValidator(50)],
    )

    content_panels = Page.content_panels + [
        FieldPanel("subtitle"),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("trailer"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("format"), FieldPanel("starts_at")]),
                FieldPanel("venue"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Format and place"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("language"), FieldPanel("level"), FieldPanel("price")]),
                FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("completion_percent")]),
            ],
            heading=_("Course details"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("provider"),
                FieldPanel("sponsors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("sponsor_disclosure"),
            ],
            heading=_("Provider and sponsors"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("professions", widget=forms.CheckboxSelectMultiple),
                FieldPanel("competencies", widget=forms.CheckboxSelectMultiple),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Who it is for and what it is about"),
        ),
        InlinePanel("speakers", heading=_("Speakers"), label=_("speaker")),
        InlinePanel("accreditations", heading=_("Accreditation per register"), label=_("register")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("subtitle"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("format"),
        index.FilterField("language"),
        index.FilterField("price"),
        index.FilterField("level"),
        index.FilterField("duration_minutes"),
    ]
    parent_page_types = ["catalog.HomePage"]
    subpage_types = ["catalog.EpisodePage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    @property
    def is_free(self) -> bool:
        return not self.price

    def clean(self):
        super().clean()
        errors = {}
        if self.format in (self.Format.WEBINAR, self.Format.CLASSROOM) and not self.starts_at:
            errors["starts_at"] = _("A webinar or classroom course needs a start time.")
        if self.format == self.Format.CLASSROOM:
            if not self.address:
                errors["address"] = _("A classroom course needs an address.")
            if self.latitude is None or self.longitude is None:
                errors["latitude"] = _(
                    "A classroom course needs its coordinates, so learners can search by distance."
                )
        if self.sponsors_given() and not self.sponsor_disclosure.strip():
            errors["sponsor_disclosure"] = _(
                "Say what the sponsors paid for and what they decided."
            )
        if errors:
            raise ValidationError(errors)

    def sponsors_given(self) -> bool:
        try:
            return bool(self.sponsors.all())
        except ValueError:  # an unsaved page has no relations yet
            return False

    def save(self, *args, **kwargs):
        derived = self.episodes_minutes()
        if derived:
            self.duration_minutes = derived
        return super().save(*args, **kwargs)

    def episodes_minutes(self) -> int:
        """Length of the live episodes' videos, rounded up to whole minutes."""
        if not self.pk:
            return 0
        seconds = (
            EpisodePage.objects.child_of(self)
            .live()
            .aggregate(total=models.Sum("video__duration"))["total"]
        )
        return minutes_from_seconds(seconds)


class EpisodePage(CachedViewRestrictions, Page):
    """One lecture of a course: a video with its chapters, handouts and an optional end test."""

    @staticmethod
    def course_path_of(path: str) -> str:
        """The tree path of the course an episode at this tree path belongs to."""
        return path[: -EpisodePage.steplen]

    video = models.ForeignKey(
        "playback.Video",
        verbose_name=_("video"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = StreamField(BaseStreamBlock(), verbose_name=_("description"), blank=True)
    required = models.BooleanField(
        _("required for completion"),
        default=True,
        help_text=_("The course counts as complete only when every required episode is."),
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=70,
        validators=[MinValueValidator(1)],
        help_text=_("Used when this episode has end-test questions."),
    )
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        default=0,
        help_text=_("0 asks every question; otherwise this many are drawn at random each attempt."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"),
        default=3,
        help_text=_(
            "3 is common; 0 allows any number. A learner who fails the last attempt is asked to "
            "contact the provider. Which answers were right, and the explanations, are shown "
            "once the learner passes or has no attempts left."
        ),
    )
    retake_wait_hours = models.PositiveSmallIntegerField(
        _("wait after a failed attempt (hours)"),
        default=24,
        help_text=_(
            "24 is common, so a learner studies again rather than guesses; 0 allows a retake at "
            "once."
        ),
    )
    retake_new_questions = models.BooleanField(
        _("every retake asks new questions"),
        default=False,
        help_text=_(
            "Some registers ask this (KRT: a retake uses new questions). It needs a maximum "
            "number of attempts and at least attempts × questions per attempt questions. "
            "Without it a retake still asks the questions the learner has not had, or had "
            "longest ago, first."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("video"),
        FieldPanel("description"),
        FieldPanel("required"),
        InlinePanel("chapters", heading=_("Chapters"), label=_("chapter")),
        InlinePanel("attachments", heading=_("Attachments"), label=_("attachment")),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("pass_mark_percent"), FieldPanel("questions_per_attempt")]
                ),
                FieldRowPanel([FieldPanel("max_attempts"), FieldPanel("retake_wait_hours")]),
                FieldPanel("retake_new_questions"),
                InlinePanel("questions", label=_("question")),
            ],
            heading=_("End test"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("description")]
    base_form_class = EpisodePageForm
    parent_page_types = ["catalog.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("episode")
        verbose_name_plural = _("episodes")

    def clean(self):
        super().clean()
        count = self.question_count()
        if self.questions_per_attempt > count:
            raise ValidationError(
                {
                    "questions_per_attempt": _(
                        "The end test has %(count)d questions, so an attempt cannot ask more. "
                        "Use 0 to ask every question."
                    )
                    % {"count": count}
                }
            )
        if self.retake_new_questions and self.max_attempts != 1:
            self._check_fresh_retakes(count)

    def _check_fresh_retakes(self, count: int) -> None:
        """Every attempt draws questions no earlier attempt asked, so the pool must hold them."""
        if not self.max_attempts:
            raise ValidationError(
                {
                    "max_attempts": _(
                        "When every retake asks new questions, set a maximum number of attempts: "
                        "with any number the questions run out."
                    )
                }
            )
        if not self.questions_per_attempt:
            raise ValidationError(
                {
                    "questions_per_attempt": _(
                        "When every retake asks new questions, an attempt cannot ask every "
                        "question. Set how many questions an attempt asks."
                    )
                }
            )
        needed = self.max_attempts * self.questions_per_attempt
        if count < needed:
            raise ValidationError(
                {
                    "retake_new_questions": _(
                        "%(attempts)d attempts of %(size)d new questions each need at least "
                        "%(needed)d questions; the end test has %(count)d. Add questions, ask "
                        "fewer per attempt or allow fewer attempts."
                    )
                    % {
                        "attempts": self.max_attempts,
                        "size": self.questions_per_attempt,
                        "needed": needed,
                        "count": count,
                    }
                }
            )

    def question_count(self) -> int:
        # In the editor the page is validated before its inline questions are attached to it,
        # so the editor's form hands over the number it is about to save.
        submitted = getattr(self, "questions_submitted", None)
        if submitted is not None:
            return submitted
        try:
            return len(self.questions.all())
        except ValueError:  # an unsaved page has no relations yet
            return 0
