from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import TranscodePart, Video
from .services.chunked import PartBusy, part_process
from .services.heartbeat_buffer import buffering_enabled, heartbeats_flush
from .services.leases import lease_seconds_left
from .services.pipeline import VideoBusy, video_process
from .services.queue import video_enqueue


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def video_process_task(self, video_id: int) -> None:
    """Probe, transcode and publish one video; running it again changes nothing."""
    video = Video.objects.filter(pk=video_id).first()
    if video is None:
        return
    try:
        video_process(video=video)
    except VideoBusy:
        # Another worker has it; if that worker dies, its lease runs out and this one takes over.
        raise self.retry(countdown=lease_seconds_left(video) + 1, max_retries=None) from None


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def video_part_task(self, part_id: int) -> None:
    """Encode one part of a long video; the last part to finish publishes the video."""
    part = TranscodePart.objects.filter(pk=part_id).first()
    if part is None:
        return
    try:
        part_process(part=part)
    except PartBusy:
        raise self.retry(countdown=lease_seconds_left(part) + 1, max_retries=None) from None


@shared_task(ignore_result=True)
def videos_requeue_stalled_task() -> int:
    """Queue videos whose job never reached the broker (it was down at upload time)."""
    cutoff = timezone.now() - timedelta(seconds=settings.PLAYBACK_REQUEUE_AFTER_SECONDS)
    stalled = list(
        Video.objects.filter(
            state=Video.State.UPLOADED, queued_at__isnull=True, updated_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for video_id in stalled:
        video_enqueue(video_id)
    return len(stalled)


@shared_task(ignore_result=True)
def heartbeats_flush_task() -> int:
    """Write buffered heartbeats to the database; a no-op without the Redis buffer."""
    return heartbeats_flush() if buffering_enabled() else 0
