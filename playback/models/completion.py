from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseCompletion(models.Model):
    """A learner finished a course: every required episode watched and every end test passed.
    Created once; accreditation is told about it when it is."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="course_completions",
    )
    course = models.ForeignKey(
        "catalog.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="completions",
    )
    completed_at = models.DateTimeField(_("completed"))

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="completion_once_per_course")
        ]
        indexes = [models.Index(fields=["user", "-completed_at"], name="completion_user_recent")]

    def __str__(self) -> str:
        return f"completion of course {self.course_id} by learner {self.user_id}"
