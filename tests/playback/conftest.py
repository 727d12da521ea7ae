import pytest
from django.core.files.base import ContentFile

from playback.models import Video

from . import media


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """Generated once per run: a short lecture clip and the bad inputs."""
    folder = tmp_path_factory.mktemp("clips")
    lecture = media.lecture_clip(folder / "lecture.mp4", seconds=14)
    return {
        "lecture": lecture,
        "small": media.lecture_clip(folder / "small.mp4", seconds=8, size="480x270"),
        "silent": media.lecture_clip(folder / "silent.mp4", seconds=8, size="640x360", audio=False),
        "audio_only": media.audio_only(folder / "audio.m4a"),
        "huge_frame": media.huge_frame(folder / "huge.mp4"),
        "ten_hours": media.ten_hours(folder / "ten-hours.mp4"),
        "single_frame": media.single_frame(folder / "single-frame.mp4"),
        "truncated": media.truncated(lecture, folder / "truncated.mp4"),
    }


def video_with_source(*, data: bytes, name: str = "lecture.mp4", title: str = "College") -> Video:
    video = Video(title=title, source_name=name, source_size=len(data))
    video.source.save(name, ContentFile(data), save=False)
    video.save()
    return video
