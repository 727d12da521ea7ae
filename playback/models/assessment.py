from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TestAttempt(models.Model):
    """One go at an episode's end test: the questions drawn for it, in the order shown, and once
    handed in the answers and the grade."""

    # Not a test case, whatever pytest's collector makes of the name.
    __test__ = False

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="test_attempts",
    )
    episode = models.ForeignKey(
        "catalog.EpisodePage", on_delete=models.CASCADE, related_name="test_attempts"
    )
    course = models.ForeignKey("catalog.CoursePage", on_delete=models.CASCADE, related_name="+")
    # Question ids in the order shown, and per question id (as text) its option ids in order.
    question_ids = models.JSONField(default=list)
    option_orders = models.JSONField(default=dict)
    # Per question id (as text): the option ids chosen, and whether that was right.
    answers = models.JSONField(default=dict, blank=True)
    right_question_ids = models.JSONField(default=list, blank=True)
    score_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    pass_mark_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        constraints = [
            # A second open attempt would let a learner shop for easy questions.
            models.UniqueConstraint(
                fields=["user", "episode"],
                condition=models.Q(submitted_at__isnull=True),
                name="attempt_one_open_per_episode",
            )
        ]
        indexes = [
            models.Index(fields=["user", "episode", "-started_at"], name="attempt_user_recent"),
        ]

    def __str__(self) -> str:
        return f"test attempt {self.pk} of learner {self.user_id} on episode {self.episode_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
