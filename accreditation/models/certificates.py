from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No 0/O, 1/I/L, 2/Z, 5/S or 8/B: a code read aloud or typed from paper stays unambiguous.
CERTIFICATE_CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CERTIFICATE_CODE_LENGTH = 10


class Certificate(models.Model):
    """A certificate of attendance for one completed course. It keeps a snapshot of what it
    states, so later edits to the course, the accreditation or the profile do not change a
    certificate already handed out; it is revoked, never deleted."""

    # Certificates outlive course pages and must stay verifiable, so deleting a learner with
    # certificates is refused rather than cascading.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    # A plain id, not a key: a course page may be deleted, the certificate stays valid.
    course_id = models.PositiveBigIntegerField(_("course"))
    course_title = models.CharField(_("course title"), max_length=255)
    provider_name = models.CharField(_("provider"), max_length=255, blank=True)
    completed_on = models.DateField(_("date completed"))
    learner_name = models.CharField(_("name as stated"), max_length=255)
    big_number = models.CharField(_("BIG number as stated"), max_length=11, blank=True)
    # [{"register", "register_name", "points", "category", "activity_id"}], points as text.
    lines = models.JSONField(_("points per register"), default=list, blank=True)
    code = models.CharField(_("verification code"), max_length=CERTIFICATE_CODE_LENGTH, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # No database constraint: the audit trail keeps the id even if that account goes.
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        permissions = [("revoke_certificate", _("Can revoke a certificate"))]
        constraints = [
            # One valid certificate per course; a corrected one is issued after revoking it.
            models.UniqueConstraint(
                fields=["user", "course_id"],
                condition=models.Q(revoked_at__isnull=True),
                name="accreditation_certificate_once",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_reason="")
                | (models.Q(revoked_at__isnull=False) & ~models.Q(revoked_reason="")),
                name="accreditation_certificate_revoked_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code_display} — {self.course_title} ({self.learner_name})"

    @property
    def code_display(self) -> str:
        middle = CERTIFICATE_CODE_LENGTH // 2
        return f"{self.code[:middle]}-{self.code[middle:]}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def lines_shown(self) -> list[dict]:
        """The stated lines with points as numbers, so templates format them for the reader's
        language (2,5 in Dutch)."""
        shown = []
        for line in self.lines:
            try:
                points = Decimal(line.get("points", ""))
            except InvalidOperation:
                points = line.get("points", "")
            shown.append({**line, "points": points})
        return shown
