from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from ..language import in_active_language


class ActivityCategory(models.Model):
    """A kind of learning activity registers count separately (accredited training, peer review,
    emergency skills …). Register requirements set minima and maxima per category."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("activity category")
        verbose_name_plural = _("activity categories")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return in_active_language(self.name, self.name_en)


class CourseAccreditationQuerySet(models.QuerySet):
    def valid_on(self, day):
        """The accreditations in force on a day; both ends count."""
        return self.filter(valid_from__lte=day, valid_until__gte=day)


class CourseAccreditation(Orderable):
    """What a course earns in one register: points, category and the register's activity ID.

    Edited inline on the course page in the Wagtail admin; owned by this app.
    """

    course = ParentalKey(
        "catalog.CoursePage", on_delete=models.CASCADE, related_name="accreditations"
    )
    register = models.ForeignKey(
        "accreditation.Register",
        verbose_name=_("register"),
        on_delete=models.PROTECT,
        related_name="course_accreditations",
    )
    points = models.DecimalField(
        _("points"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0.1)],
        help_text=_("Points or hours the register grants, e.g. 2 or 1.5."),
    )
    category = models.ForeignKey(
        ActivityCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    activity_id = models.CharField(
        _("activity ID"),
        max_length=60,
        blank=True,
        help_text=_("The number the register gave this accreditation (GAIA, PE-online …)."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))

    objects = CourseAccreditationQuerySet.as_manager()

    panels = [
        # Short lists: a plain drop-down is quicker for editors than a chooser.
        FieldRowPanel(
            [
                FieldPanel("register", widget=forms.Select),
                FieldPanel("points"),
                FieldPanel("category", widget=forms.Select),
            ]
        ),
        FieldRowPanel(
            [FieldPanel("activity_id"), FieldPanel("valid_from"), FieldPanel("valid_until")]
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("course accreditation")
        verbose_name_plural = _("course accreditations")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "register", "valid_from"], name="accreditation_course_register"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="accreditation_valid_period",
            ),
            models.CheckConstraint(
                condition=models.Q(points__gt=0), name="accreditation_points_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.register}: {self.points}"

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("The accreditation cannot end before it starts.")}
            )
