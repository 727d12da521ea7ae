from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .sessions import LiveSession

QUESTION_MAX_LENGTH = 500


class Question(models.Model):
    """A viewer's question to the panel of a live session. The moderator moves it through its
    states (live/questions.py, one function per move); viewers see it once approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the moderator")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Hidden")
        ANSWERED = "answered", _("Answered in text")
        ANSWERED_LIVE = "answered_live", _("Answered live")
        MERGED = "merged", _("Merged into another question")

    session = models.ForeignKey(
        LiveSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="questions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    text = models.CharField(_("question"), max_length=QUESTION_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.PENDING
    )
    answer = models.TextField(_("answer"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        permissions = [("present_session", _("Can see the questions to the panel as presenter"))]
        indexes = [models.Index(fields=["session", "status"], name="live_question_status")]

    def __str__(self) -> str:
        return self.text[:60]


class QuestionVote(models.Model):
    """One viewer's vote for a question: one per viewer and question."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="votes"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("voted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["question", "voter"], name="live_question_vote_once")
        ]
        indexes = [models.Index(fields=["voter", "question"], name="live_question_vote_voter")]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.question_id}"
