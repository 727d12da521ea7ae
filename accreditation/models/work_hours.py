from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

HOURS_IN_A_WEEK = 168


class WorkHoursEntry(models.Model):
    """Work in the profession over a date range, toward the BIG norm: contract hours per week
    (employees) or hours actually worked (self-employed)."""

    class Kind(models.TextChoices):
        CONTRACT = "contract", _("Contract hours per week")
        ACTUAL = "actual", _("Hours actually worked")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="work_hours",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(HOURS_IN_A_WEEK)],
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    employer = models.CharField(_("employer or practice"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("work hours")
        verbose_name_plural = _("work hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="accreditation_work_hours_range",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="contract",
                        hours_per_week__gte=0,
                        hours_per_week__lte=HOURS_IN_A_WEEK,
                        hours__isnull=True,
                    )
                    | models.Q(kind="actual", hours__gte=0, hours_per_week__isnull=True)
                ),
                name="accreditation_work_hours_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.start} – {self.end}"
