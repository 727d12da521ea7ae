"""Chunked, resumable uploads into the video library."""

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import UploadSession, Video

CHUNK_BYTES = 8 * 1024 * 1024


class UploadError(Exception):
    def __init__(self, message: str, *, status: int = 400, received: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.received = received


def _staging_path(upload: UploadSession) -> Path:
    folder = Path(settings.VAR_DIR) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{upload.id}.part"


def upload_start(*, user, title: str, filename: str, size: int) -> UploadSession:
    title, filename = title.strip(), Path(filename or "").name.strip()
    if not title:
        raise UploadError(_("Give the video a title."))
    if len(title) > 255:
        raise UploadError(_("The title may be at most 255 characters long."))
    if not filename:
        raise UploadError(_("Choose a video file."))
    if size <= 0:
        raise UploadError(_("The file is empty."))
    if size > settings.PLAYBACK_MAX_UPLOAD_BYTES:
        limit_gb = settings.PLAYBACK_MAX_UPLOAD_BYTES / 1024**3
        raise UploadError(_("The file is larger than %(limit).0f GB.") % {"limit": limit_gb})
    return UploadSession.objects.create(user=user, title=title, filename=filename, size=size)


def upload_append(*, upload: UploadSession, offset: int, stream, length: int) -> UploadSession:
    """Store one chunk; a chunk at the wrong offset is refused with the offset we expect."""
    with transaction.atomic():
        upload = UploadSession.objects.select_for_update().get(pk=upload.pk)
        if upload.completed_at:
            raise UploadError(_("This upload is already complete."), status=409)
        if offset != upload.received:
            raise UploadError(
                _("This part does not follow on from what arrived."),
                status=409,
                received=upload.received,
            )
        if length <= 0 or upload.received + length > upload.size:
            raise UploadError(_("This part does not fit in the announced file size."))
        path = _staging_path(upload)
        with open(path, "ab") as staged:
            staged.truncate(upload.received)  # drop bytes of an earlier, unconfirmed chunk
            written = 0
            while written < length:
                block = stream.read(min(1024 * 1024, length - written))
                if not block:
                    break
                staged.write(block)
                written += len(block)
        if written != length:
            raise UploadError(_("The connection broke during this part; send it again."))
        upload.received += written
        upload.save(update_fields=["received"])
    return upload


def upload_complete(*, upload: UploadSession) -> Video:
    """Turn the finished upload into a video and queue its processing once committed."""
    from ..tasks import video_enqueue

    with transaction.atomic():
        upload = UploadSession.objects.select_for_update().get(pk=upload.pk)
        if upload.video_id:
            return upload.video
        if upload.received != upload.size:
            raise UploadError(_("The upload is not complete yet."), status=409)
        video = Video(
            title=upload.title,
            source_name=upload.filename,
            source_size=upload.size,
            uploaded_by=upload.user,
        )
        path = _staging_path(upload)
        with open(path, "rb") as staged:
            video.source.save(upload.filename, File(staged), save=False)
        video.save()
        upload.video = video
        upload.completed_at = timezone.now()
        upload.save(update_fields=["video", "completed_at"])
        # robust: a broker hiccup must not turn a stored upload into an error page.
        transaction.on_commit(lambda: video_enqueue(video.id), robust=True)
    path.unlink(missing_ok=True)
    return video


def video_transcode_again(*, video: Video) -> Video:
    from ..tasks import video_enqueue
    from .states import video_queue_again

    video = video_queue_again(video=video, new_generation=video.state == Video.State.READY)
    transaction.on_commit(lambda: video_enqueue(video.id), robust=True)
    return video
