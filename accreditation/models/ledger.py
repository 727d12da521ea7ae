from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerEntry(models.Model):
    """One line of a learner's points record. Append-only: the database refuses UPDATE and
    DELETE (triggers in migration 0007); a correction is a new reversing entry.

    A migration that alters this table on SQLite rebuilds it and loses the triggers: such a
    migration must create them again with ``accreditation.ledger.triggers``.
    """

    class Kind(models.TextChoices):
        AWARD = "award", _("Course completed")  # or a session attended (session_id set)
        MANUAL = "manual", _("Added by the learner")
        REVERSAL = "reversal", _("Correction")

    # Entries outlive what they point to, so deleting a learner, register or category with
    # entries is refused rather than cascading into the ledger.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    register = models.ForeignKey(
        "accreditation.Register",
        verbose_name=_("register"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    points = models.DecimalField(
        _("points or hours"),
        max_digits=6,
        decimal_places=1,
        help_text=_("Negative only for a correction."),
    )
    category = models.ForeignKey(
        "accreditation.ActivityCategory",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    earned_on = models.DateField(_("date earned"))
    title = models.CharField(_("activity"), max_length=255)
    # A plain id, not a key: a course page may be deleted, its points stay earned.
    course_id = models.PositiveBigIntegerField(_("course"), null=True, blank=True)
    # Set for points from attending a live or classroom session of the course (a plain id as
    # well): each session awards apart, so a course given twice counts once per session.
    session_id = models.PositiveBigIntegerField(_("session"), null=True, blank=True)
    activity_id = models.CharField(_("activity ID"), max_length=60, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    # An award made again with corrected details (activity ID, points) replaces the award it
    # follows, which is reversed in the same step: one award per learner, course and register.
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    evidence = models.FileField(
        _("evidence"), upload_to="accreditation/evidence/%Y/%m/", max_length=255, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    # No database constraint: the audit trail keeps the id even if that account goes.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["earned_on", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["user", "register"], name="accreditation_ledger_user")]
        constraints = [
            # Reported completions are idempotent: one award per learner, register and course,
            # however often or concurrently it is reported, whatever its activity ID; a
            # correction is a reversal plus an award that replaces the reversed one.
            models.UniqueConstraint(
                fields=["user", "register", "course_id"],
                condition=models.Q(kind="award", replaces__isnull=True, session_id__isnull=True),
                name="accreditation_ledger_award_once",
            ),
            # Attendance likewise: one award per learner, register and session.
            models.UniqueConstraint(
                fields=["user", "register", "session_id"],
                condition=models.Q(kind="award", replaces__isnull=True, session_id__isnull=False),
                name="accreditation_ledger_session_award_once",
            ),
            models.CheckConstraint(
                condition=models.Q(replaces__isnull=True) | models.Q(kind="award"),
                name="accreditation_ledger_replacement_is_award",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="award") | models.Q(course_id__isnull=False),
                name="accreditation_ledger_award_course",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="manual") | ~models.Q(evidence=""),
                name="accreditation_ledger_manual_evidence",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="reversal", reverses__isnull=False, points__lt=0)
                    & ~models.Q(reason="")
                )
                | (
                    models.Q(reverses__isnull=True, points__gt=0)
                    & models.Q(kind__in=["award", "manual"])
                ),
                name="accreditation_ledger_kind_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.earned_on} {self.register}: {self.points} ({self.title})"
