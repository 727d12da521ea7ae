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
            # A BIG number is one person's: a second claim is a case for staff (BigNumberClaim).
            models.UniqueConstraint(
                fields=["big_number"],
                condition=~models.Q(big_number=""),
                name="accreditation_profile_big_number_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.profession})"


class BigNumberClaim(models.Model):
    """A learner entered a BIG number that another account already holds. The number is not
    moved silently: staff check who it belongs to and grant or refuse the claim."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        GRANTED = "granted", _("Granted: the number moved to this learner")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="big_number_claims",
        verbose_name=_("learner claiming"),
    )
    big_number = models.CharField(_("BIG number"), max_length=11)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # No database constraint: the audit trail keeps the id even if that account goes.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    staff_note = models.TextField(_("note by staff"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("BIG number claim")
        verbose_name_plural = _("BIG number claims")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(big_number__regex=BIG_NUMBER_PATTERN),
                name="accreditation_big_claim_11_digits",
            ),
            models.UniqueConstraint(
                fields=["user", "big_number"],
                condition=models.Q(status="open"),
                name="accreditation_big_claim_open_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.big_number} — {self.user}"

    @property
    def holder(self):
        """The account that holds the number now, if any."""
        profile = (
            ProfessionalProfile.objects.select_related("user")
            .filter(big_number=self.big_number)
            .exclude(user_id=self.user_id)
            .first()
        )
        return profile.user if profile else None


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
    # Where a register grants each person a reduction of their own (Requirement.reduction_max).
    reduction_granted = models.DecimalField(
        _("reduction granted by the register"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
    )
    reduction_evidence = models.FileField(
        _("register's decision on the reduction"),
        upload_to="accreditation/evidence/%Y/%m/",
        max_length=255,
        blank=True,
    )
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
            models.CheckConstraint(
                condition=models.Q(reduction_granted__isnull=True)
                | (models.Q(reduction_granted__gt=0) & ~models.Q(reduction_evidence="")),
                name="accreditation_registration_reduction_with_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.register}"
