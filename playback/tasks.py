import logging

from celery import shared_task
from django.conf import settings

from .models import TranscodePart, Video
from .services.chunked import PartBusy, part_give_up, part_process
from .services.heartbeat_buffer import buffering_enabled, heartbeats_flush
from .services.leases import LeaseLost, lease_seconds_left
from .services.pipeline import VideoBusy, video_give_up, video_process
from .services.stalls import videos_stalled_recover
from .services.transient import TRANSIENT_DATABASE_ERRORS, retry_countdown

logger = logging.getLogger(__name__)


# No retry limit of Celery's own: a busy video waits for the lease as long as it lasts, and
# database errors are counted by the task itself.
@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=None
)
def video_process_task(self, video_id: int, database_errors: int = 0) -> None:
    """Probe, transcode and publish one video; running it again changes nothing."""
    try:
        video = Video.objects.filter(pk=video_id).first()
        if video is None:
            return
        video_process(video=video)
    except VideoBusy:
        # Another worker has it; if that worker dies, its lease runs out and this one takes over.
        raise self.retry(countdown=lease_seconds_left(video) + 1) from None
    except LeaseLost:
        logger.info("video %s was taken over by another worker", video_id)
    except TRANSIENT_DATABASE_ERRORS as error:
        if database_errors >= settings.PLAYBACK_DATABASE_RETRIES:
            video = Video.objects.filter(pk=video_id).first()
            if video is not None:
                video_give_up(video=video, error=error)
            return
        raise self.retry(
            exc=error,
            kwargs={"database_errors": database_errors + 1},
            countdown=retry_countdown(errors_so_far=database_errors),
        ) from error


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=None
)
def video_part_task(self, part_id: int, database_errors: int = 0) -> None:
    """Encode one part of a long video; the last part to finish publishes the video."""
    try:
        part = TranscodePart.objects.filter(pk=part_id).first()
        if part is None:
            return
        part_process(part=part)
    except PartBusy:
        raise self.retry(countdown=lease_seconds_left(part) + 1) from None
    except LeaseLost:
        logger.info("part %s was taken over by another worker", part_id)
    except TRANSIENT_DATABASE_ERRORS as error:
        if database_errors >= settings.PLAYBACK_DATABASE_RETRIES:
            part = TranscodePart.objects.filter(pk=part_id).first()
            if part is not None:
                part_give_up(part=part, error=error)
            return
        raise self.retry(
            exc=error,
            kwargs={"database_errors": database_errors + 1},
            countdown=retry_countdown(errors_so_far=database_errors),
        ) from error


@shared_task(ignore_result=True)
def videos_requeue_stalled_task() -> int:
    """Take over or fail the videos nobody works on any more, whatever their state, and queue
    those whose job never reached the broker."""
    return videos_stalled_recover()


@shared_task(ignore_result=True)
def heartbeats_flush_task() -> int:
    """Write buffered heartbeats to the database; a no-op without the Redis buffer."""
    return heartbeats_flush() if buffering_enabled() else 0
