import secrets

from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

TITLE_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 1000


def share_token_new() -> str:
    return secrets.token_urlsafe(24)


class LearningPath(models.Model):
    """A learner's ordered list of courses and episodes, like a playlist."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Only me")
        LINK = "link", _("Anyone with the link")
        PUBLIC = "public", _("Public on my profile")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_paths"
    )
    title = models.CharField(
        _("title"), max_length=TITLE_MAX_LENGTH, validators=[MinLengthValidator(1)]
    )
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    visibility = models.CharField(
        _("who can see it"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    share_token = models.CharField(max_length=40, unique=True, default=share_token_new)
    # An image the owner uploaded, re-encoded; otherwise the mosaic of the first four covers.
    cover = models.ImageField(_("cover"), upload_to="paths/covers/", blank=True)
    mosaic = models.ImageField(upload_to="paths/mosaics/", blank=True, editable=False)
    mosaic_of = models.CharField(max_length=100, blank=True, editable=False)
    # Set for the paths Leerstroom makes for a learner ("Made for you"), which it refreshes.
    generator = models.CharField(max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")
        indexes = [models.Index(fields=["owner", "-updated_at"], name="path_owner_recent")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="path_title_not_empty"),
            models.UniqueConstraint(
                fields=["owner", "generator"],
                condition=~models.Q(generator=""),
                name="path_generated_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def cover_url(self) -> str:
        image = self.cover or self.mosaic
        return image.url if image else ""


class PathItem(models.Model):
    """A course, or one episode of it, in a learning path.

    ``rank`` orders the items with gaps between them, so moving an item rewrites that item
    alone; when two neighbours leave no gap, the path's ranks are spread out again."""

    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="items")
    course = models.ForeignKey("catalog.CoursePage", on_delete=models.CASCADE, related_name="+")
    episode = models.ForeignKey(
        "catalog.EpisodePage", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rank = models.BigIntegerField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["path", "rank"], name="path_item_rank_unique"),
            models.UniqueConstraint(
                fields=["path", "course"],
                condition=models.Q(episode__isnull=True),
                name="path_item_course_once",
            ),
            models.UniqueConstraint(
                fields=["path", "episode"],
                condition=models.Q(episode__isnull=False),
                name="path_item_episode_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.path_id}: {self.episode_id or self.course_id}"


class PathFollow(models.Model):
    """A learner who saved someone else's shared path to their library; it stays the owner's
    path, so it is always in step with it."""

    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_paths"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["path", "user"], name="path_follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.path_id}"


class PathCollaborator(models.Model):
    """A colleague who may add to and reorder a path (a ward's or practice's shared path)."""

    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="collaborators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collaborative_paths"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["path", "user"], name="path_collaborator_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} works on {self.path_id}"


def invite_token_new() -> str:
    return secrets.token_urlsafe(32)


class PathInvite(models.Model):
    """A link that makes one colleague a collaborator, once, before it expires."""

    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="invites")
    token = models.CharField(max_length=64, unique=True, default=invite_token_new)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invite to {self.path_id}"


class PathPlay(models.Model):
    """When a learner last opened something from a path, to sort their library by it."""

    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="plays")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="path_plays"
    )
    played_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["path", "user"], name="path_play_once")]

    def __str__(self) -> str:
        return f"{self.user_id} played {self.path_id}"
