import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UploadSession(models.Model):
    """A file arriving in chunks; it can resume after a dropped connection.

    ``received`` is the byte count stored so far: a chunk is accepted only at that offset.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=255)
    filename = models.CharField(max_length=255)
    size = models.BigIntegerField()
    received = models.BigIntegerField(default=0)
    # With S3 the browser sends parts straight to the bucket (multipart upload).
    video_uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    storage_key = models.CharField(max_length=500, blank=True)
    multipart_id = models.CharField(max_length=1024, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    video = models.OneToOneField(
        "playback.Video", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(received__gte=0) & models.Q(received__lte=models.F("size")),
                name="playback_upload_received_within_size",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.received}/{self.size})"

    @property
    def is_direct(self) -> bool:
        return bool(self.multipart_id)
