"""Transcoding handed to the workers: the whole video, or one part of a long one."""

from django.utils import timezone

from lms.queue import task_enqueue

from ..models import Video

VIDEO_PROCESS_TASK = "playback.tasks.video_process_task"
VIDEO_PART_TASK = "playback.tasks.video_part_task"


def video_enqueue(video_id: int) -> None:
    """Queue the job and note that it reached the broker."""
    task_enqueue(VIDEO_PROCESS_TASK, video_id)
    Video.objects.filter(pk=video_id).update(queued_at=timezone.now())


def video_part_enqueue(part_id: int) -> None:
    task_enqueue(VIDEO_PART_TASK, part_id)
