from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

# Stands in for "no end" and "every profession" in the version uniqueness, which both databases
# honour for expressions (a NULL would make every row distinct).
_NO_END = date(9999, 12, 31)
_EVERY_PROFESSION = 0


class Requirement(ClusterableModel):
    """One version of what a register asks per period: total points and category rules.

    Versions follow each other in time and are chosen by the day the learner's period ends, as
    the registers' transition rules do. A temporary version (with an end date) takes precedence
    over the standing one while it is valid, e.g. the V&VN COVID leniency; a version for one
    profession takes precedence over the one for every profession.
    """

    register = models.ForeignKey(
        "accreditation.Register",
        verbose_name=_("register"),
        on_delete=models.PROTECT,
        related_name="requirements",
        limit_choices_to={"kind": "points"},
    )
    profession = models.ForeignKey(
        "catalog.Profession",
        verbose_name=_("only for profession"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty when the version holds for every profession in the register."),
    )
    total_points = models.DecimalField(
        _("total points"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("Points (hours) needed in one period."),
    )
    period_years = models.PositiveSmallIntegerField(
        _("period length in years"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    points_per_year = models.DecimalField(
        _("points per year"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("Only for registers that also ask a minimum each year."),
    )
    reduction_max = models.DecimalField(
        _("personal reduction up to"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_(
            "Only where the register grants each person a reduction of their own (e.g. the RGS "
            "COVID arrangement): the most a learner may enter, with the register's letter."
        ),
    )
    valid_from = models.DateField(
        _("valid from"),
        help_text=_("Applies to periods that end on or after this day."),
    )
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a standing rule; set it for a temporary one."),
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("register"), FieldPanel("profession")]),
                FieldRowPanel(
                    [
                        FieldPanel("total_points"),
                        FieldPanel("period_years"),
                        FieldPanel("points_per_year"),
                        FieldPanel("reduction_max"),
                    ]
                ),
                FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
                FieldPanel("source_url"),
                FieldPanel("note"),
            ],
            heading=_("Requirement"),
        ),
        InlinePanel("category_rules", heading=_("Category rules"), label=_("category rule")),
    ]

    class Meta:
        ordering = ["register__sort_order", "register__short_name", "-valid_from"]
        verbose_name = _("register requirement")
        verbose_name_plural = _("register requirements")
        constraints = [
            models.UniqueConstraint(
                "register",
                Coalesce("profession", models.Value(_EVERY_PROFESSION)),
                "valid_from",
                Coalesce("valid_until", models.Value(_NO_END)),
                name="accreditation_requirement_version",
                violation_error_message=_(
                    "This register already has a version for these dates and profession."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="accreditation_requirement_valid_period",
            ),
        ]

    def __str__(self) -> str:
        until = f" – {self.valid_until}" if self.valid_until else ""
        profession = f" {self.profession}" if self.profession_id else ""
        return f"{self.register}{profession}: {self.total_points} ({self.valid_from}{until})"

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("A requirement cannot end before it starts.")})


class CategoryRule(Orderable, ClusterableModel):
    """A minimum or maximum for the points earned in a group of activity categories.

    A rule for one profession replaces, for that profession, the rule with the same label for
    every profession (V&VN: at least 80 accredited, for verzorgenden 60)."""

    class Kind(models.TextChoices):
        MINIMUM = "min", _("At least")
        MAXIMUM = "max", _("At most")

    class Unit(models.TextChoices):
        POINTS = "points", _("points")
        PERCENT = "percent", _("percent of the total")

    requirement = ParentalKey(Requirement, on_delete=models.CASCADE, related_name="category_rules")
    label = models.CharField(
        _("label"), max_length=100, help_text=_("As learners will read it, e.g. accredited.")
    )
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    profession = models.ForeignKey(
        "catalog.Profession",
        verbose_name=_("only for profession"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Leave empty for every profession. A rule for one profession replaces the rule with "
            "the same label for that profession."
        ),
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0"))],
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.POINTS)
    categories = ParentalManyToManyField(
        "accreditation.ActivityCategory",
        verbose_name=_("categories"),
        related_name="+",
        help_text=_("Points in any of these categories count toward this rule."),
    )

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("label_en")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("profession")]),
        FieldRowPanel([FieldPanel("amount"), FieldPanel("unit")]),
        FieldPanel("categories"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("category rule")
        verbose_name_plural = _("category rules")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(unit="percent") | models.Q(amount__lte=100),
                name="accreditation_category_rule_percent",
            ),
        ]

    def __str__(self) -> str:
        rule = f"{self.get_kind_display()} {self.amount} {self.get_unit_display()}: {self.label}"
        return f"{rule} ({self.profession})" if self.profession_id else rule

    def clean(self):
        super().clean()
        if self.unit == self.Unit.PERCENT and self.amount is not None and self.amount > 100:
            raise ValidationError({"amount": _("A percentage cannot be over 100.")})


class WorkHourNorm(models.Model):
    """The work experience BIG asks of one profession for re-registration."""

    profession = models.ForeignKey(
        "catalog.Profession",
        verbose_name=_("profession"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    hours = models.PositiveIntegerField(
        _("hours"), help_text=_("Hours of work in the profession within one cycle.")
    )
    cycle_years = models.PositiveSmallIntegerField(
        _("cycle in years"), default=5, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    valid_from = models.DateField(
        _("valid from"), help_text=_("Applies to deadlines on or after this day.")
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)

    panels = [
        FieldPanel("profession"),
        FieldRowPanel([FieldPanel("hours"), FieldPanel("cycle_years")]),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
        FieldPanel("source_url"),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["profession__sort_order", "-valid_from"]
        verbose_name = _("BIG work-hour norm")
        verbose_name_plural = _("BIG work-hour norms")
        constraints = [
            models.UniqueConstraint(
                fields=["profession", "valid_from"], name="accreditation_work_hour_norm_version"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="accreditation_work_hour_norm_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profession}: {self.hours} h / {self.cycle_years} y"
