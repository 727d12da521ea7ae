"""Chunked, resumable uploads into the video library."""

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import TranscodePart, UploadSession, Video
from ..models.video import video_source_path
from .queue import video_enqueue
from .states import video_queue_again

CHUNK_BYTES = 8 * 1024 * 1024  # also the S3 part size (at least 5 MB, at most 10,000 parts)
PART_URL_SECONDS = 3600


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


def _bucket():
    """(client, bucket) when media lives in S3, else None."""
    if not hasattr(default_storage, "bucket_name"):
        return None
    return default_storage.connection.meta.client, default_storage.bucket_name


def upload_start(
    *, user, title: str, filename: str, size: int, direct: bool = False
) -> UploadSession:
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
    upload = UploadSession(user=user, title=title, filename=filename, size=size)
    bucket = _bucket() if direct else None
    if bucket:
        client, name = bucket
        upload.storage_key = video_source_path(Video(uuid=upload.video_uuid), filename)
        created = client.create_multipart_upload(
            Bucket=name, Key=upload.storage_key, ContentType="application/octet-stream"
        )
        upload.multipart_id = created["UploadId"]
    upload.save()
    return upload


def upload_part_url(*, upload: UploadSession, part_number: int) -> str:
    """A presigned URL for one part, for the browser to PUT straight into the bucket."""
    if not upload.is_direct or upload.completed_at:
        raise UploadError(_("This upload does not take parts any more."), status=409)
    last_part = max(1, -(-upload.size // CHUNK_BYTES))
    if not 1 <= part_number <= last_part:
        raise UploadError(_("This part does not fit in the announced file size."))
    client, name = _bucket()
    return client.generate_presigned_url(
        "upload_part",
        Params={
            "Bucket": name,
            "Key": upload.storage_key,
            "UploadId": upload.multipart_id,
            "PartNumber": part_number,
        },
        ExpiresIn=PART_URL_SECONDS,
    )


def upload_parts_stored(*, upload: UploadSession) -> list[dict]:
    """The parts the bucket holds for this upload, by part number."""
    client, name = _bucket()
    parts, marker = [], 0
    while True:
        page = client.list_parts(
            Bucket=name, Key=upload.storage_key, UploadId=upload.multipart_id,
            PartNumberMarker=marker,
        )  # fmt: skip
        parts += page.get("Parts", [])
        if not page.get("IsTruncated"):
            return sorted(parts, key=lambda part: part["PartNumber"])
        marker = page["NextPartNumberMarker"]


def upload_progress(*, upload: UploadSession) -> tuple[int, list[int]]:
    """Bytes stored so far and, for direct uploads, the part numbers already in the bucket."""
    if not upload.is_direct or upload.completed_at:
        return upload.received, []
    parts = upload_parts_stored(upload=upload)
    return sum(part["Size"] for part in parts), [part["PartNumber"] for part in parts]


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
    """Turn the finished upload into a video and queue its processing once committed.

    The source is moved into storage before the transaction: a copy of several GB must not
    hold a row lock. Completing twice gives the same video.
    """
    upload.refresh_from_db()
    if upload.video_id:
        return upload.video
    path = _staging_path(upload)
    if upload.is_direct:
        _multipart_finish(upload)
        source_name = upload.storage_key
    else:
        if upload.received != upload.size:
            raise UploadError(_("The upload is not complete yet."), status=409)
        with open(path, "rb") as staged:
            source_name = default_storage.save(
                video_source_path(Video(uuid=upload.video_uuid), upload.filename), File(staged)
            )

    with transaction.atomic():
        upload = UploadSession.objects.select_for_update().get(pk=upload.pk)
        if upload.video_id:  # a concurrent completion got here first
            return upload.video
        video = Video.objects.create(
            uuid=upload.video_uuid,
            title=upload.title,
            source=source_name,
            source_name=upload.filename,
            source_size=upload.size,
            uploaded_by=upload.user,
        )
        upload.video = video
        upload.received = upload.size
        upload.completed_at = timezone.now()
        upload.save(update_fields=["video", "completed_at", "received"])
        # robust: a broker hiccup must not turn a stored upload into an error page.
        transaction.on_commit(lambda: video_enqueue(video.id), robust=True)
    path.unlink(missing_ok=True)
    return video


def _multipart_finish(upload: UploadSession) -> None:
    parts = upload_parts_stored(upload=upload)
    expected = list(range(1, len(parts) + 1))
    stored = sum(part["Size"] for part in parts)
    if [part["PartNumber"] for part in parts] != expected or stored != upload.size:
        raise UploadError(_("The upload is not complete yet."), status=409)
    client, name = _bucket()
    client.complete_multipart_upload(
        Bucket=name,
        Key=upload.storage_key,
        UploadId=upload.multipart_id,
        MultipartUpload={
            "Parts": [{"ETag": p["ETag"], "PartNumber": p["PartNumber"]} for p in parts]
        },
    )


def video_transcode_again(*, video: Video) -> Video:
    """Start the video over: after it is done, or once it stalled (nobody holds its lease).

    Raises IllegalTransition while a worker is on it.
    """
    with transaction.atomic():
        video = video_queue_again(video=video, new_generation=video.state == Video.State.READY)
        # Parts planned for this generation by the stalled or failed run are void.
        TranscodePart.objects.filter(video=video, generation=video.generation).delete()
        transaction.on_commit(lambda: video_enqueue(video.id), robust=True)
    return video
