import secrets

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

# No 0/O or 1/I/L: codes are read aloud and typed over from paper.
VOUCHER_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
VOUCHER_PATTERN = r"^[A-Z0-9-]{4,32}$"


def voucher_code_new() -> str:
    raw = "".join(secrets.choice(VOUCHER_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


class Voucher(models.Model):
    """A code that enrols whoever redeems it in one paid course, a limited number of times."""

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        default=voucher_code_new,
        validators=[
            RegexValidator(VOUCHER_PATTERN, _("Use 4 to 32 capital letters, digits and hyphens."))
        ],
    )
    course = models.ForeignKey(
        "catalog.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    max_uses = models.PositiveIntegerField(
        _("maximum uses"), default=1, validators=[MinValueValidator(1)]
    )
    uses = models.PositiveIntegerField(_("used"), default=0, editable=False)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("Who the code is for, e.g. a ward.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("code"),
        FieldPanel("course"),
        FieldPanel("max_uses"),
        FieldPanel("valid_until"),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(uses__lte=models.F("max_uses")), name="voucher_uses_within_max"
            )
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        self.code = self.code.strip().upper()
        super().save(*args, **kwargs)


class Enrolment(models.Model):
    """A learner's access to a paid course: granted by staff or by redeeming a voucher."""

    class Source(models.TextChoices):
        STAFF = "staff", _("Granted by staff")
        VOUCHER = "voucher", _("Voucher")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    course = models.ForeignKey(
        "catalog.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.STAFF, editable=False
    )
    voucher = models.ForeignKey(
        Voucher, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("enrolled"), auto_now_add=True)

    panels = [FieldPanel("user"), FieldPanel("course")]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrolment_once_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.course}"
