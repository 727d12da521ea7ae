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


def _leased_job(task, *, model, pk: int, process, busy, give_up, database_errors: int) -> None:
    """Run one leased job on a row (a video or a part of one); running it again changes
    nothing. A busy row is tried again once its lease can have run out; a row taken over is left
    to its new worker; transient database errors are retried, and after too many the row fails
    with the reason."""
    name = model.__name__.lower()
    try:
        row = model.objects.filter(pk=pk).first()
        if row is None:
            return
        process(row)
    except busy:
        # Another worker has it; if that worker dies, its lease runs out and this one takes over.
        raise task.retry(countdown=lease_seconds_left(row) + 1) from None
    except LeaseLost:
        logger.info("%s %s was taken over by another worker", name, pk)
    except TRANSIENT_DATABASE_ERRORS as error:
        if database_errors >= settings.PLAYBACK_DATABASE_RETRIES:
            row = model.objects.filter(pk=pk).first()
            if row is not None:
                give_up(row, error)
            return
        raise task.retry(
            exc=error,
            kwargs={"database_errors": database_errors + 1},
            countdown=retry_countdown(errors_so_far=database_errors),
        ) from error


# No retry limit of Celery's own: a busy job waits for the lease as long as it lasts, and
# database errors are counted by _leased_job.
@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=None
)
def video_process_task(self, video_id: int, database_errors: int = 0) -> None:
    """Probe, transcode and publish one video."""
    _leased_job(
        self,
        model=Video,
        pk=video_id,
        process=lambda video: video_process(video=video),
        busy=VideoBusy,
        give_up=lambda video, error: video_give_up(video=video, error=error),
        database_errors=database_errors,
    )


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=None
)
def video_part_task(self, part_id: int, database_errors: int = 0) -> None:
    """Encode one part of a long video; the last part to finish publishes the video."""
    _leased_job(
        self,
        model=TranscodePart,
        pk=part_id,
        process=lambda part: part_process(part=part),
        busy=PartBusy,
        give_up=lambda part, error: part_give_up(part=part, error=error),
        database_errors=database_errors,
    )


@shared_task(ignore_result=True)
def videos_requeue_stalled_task() -> int:
    """Take over or fail the videos nobody works on any more, whatever their state, and queue
    those whose job never reached the broker."""
    return videos_stalled_recover()


@shared_task(ignore_result=True)
def heartbeats_flush_task() -> int:
    """Write buffered heartbeats to the database; a no-op without the Redis buffer."""
    return heartbeats_flush() if buffering_enabled() else 0
