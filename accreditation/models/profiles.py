from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

BIG_NUMBER_PATTERN = r"^[0-9]{11}$"


class ProfessionalProfile(models.Model):
    """Who the learner is professionally: read by the catalog and by accreditation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="professional_profile",
        verbose_name=_("user"),
    )
    profession = models.ForeignKey(
        "catalog.Profession",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("profession"),
    )
    # Eleven digits, kept as text: leading zeros matter and it is never arithmetic.
    big_number = models.CharField(_("BIG number"), max_length=11, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("professional profile")
        verbose_name_plural = _("professional profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(big_number="") | models.Q(big_number__regex=BIG_NUMBER_PATTERN),
                name="accreditation_profile_big_number_11_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.profession})"


class Registration(models.Model):
    """A learner's membership of one register, with the number and period it runs for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("user"),
    )
    register = models.ForeignKey(
        "accreditation.Register",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("register"),
    )
    member_number = models.CharField(_("member number"), max_length=40, blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end or deadline"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "register"], name="accreditation_registration_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gt=models.F("period_start")),
                name="accreditation_registration_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.register}"
