from django.dispatch import receiver

from playback.api import video_ready

from .services import course_durations_refresh


@receiver(video_ready)
def course_durations_follow_videos(sender, *, video_id: int, **kwargs) -> None:
    course_durations_refresh(video_id=video_id)
