from django.core.files.base import ContentFile

from playback.models import Video


def video_with_source(*, data: bytes, name: str = "lecture.mp4", title: str = "College") -> Video:
    video = Video(title=title, source_name=name, source_size=len(data))
    video.source.save(name, ContentFile(data), save=False)
    video.save()
    return video
