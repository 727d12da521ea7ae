from celery import shared_task

from .models import Video
from .services.pipeline import video_process


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def video_process_task(video_id: int) -> None:
    """Probe, transcode and publish one video; running it again changes nothing."""
    video = Video.objects.filter(pk=video_id).first()
    if video is None:
        return
    video_process(video=video)
