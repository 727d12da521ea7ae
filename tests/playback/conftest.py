import pytest
from django.core.files.base import ContentFile

from playback.models import Video

from . import media


def video_with_source(*, data: bytes, name: str = "lecture.mp4", title: str = "College") -> Video:
    video = Video(title=title, source_name=name, source_size=len(data))
    video.source.save(name, ContentFile(data), save=False)
    video.save()
    return video


class _FilmedClips:
    """Sources as phones film them, generated with ffmpeg the first time a test asks."""

    def __init__(self, folder):
        self.folder = folder
        self.made = {}
        self.recipes = {
            "upright": lambda p: media.upright_clip(p, seconds=8),
            "sideways": lambda p: media.sideways_clip(self["upright"], p),
            "varying": lambda p: media.upright_clip(
                p, seconds=8, size="960x540", varying=True, audio=True
            ),
            # One frame past a keyframe's time: ffmpeg starts a segment there, in sound and picture.
            "sliver": lambda p: media.lecture_clip(p, seconds=8.04, size="960x540", rate=25),
            # Long enough for the chunked path, cut at its keyframes (every 250 frames) in two.
            "upright_long": lambda p: media.upright_clip(p, seconds=24, varying=True),
            "sideways_long": lambda p: media.sideways_clip(self["upright_long"], p),
        }

    def __getitem__(self, name):
        if name not in self.made:
            self.made[name] = self.recipes[name](self.folder / f"{name}.mp4")
        return self.made[name]


@pytest.fixture(scope="session")
def filmed(tmp_path_factory):
    return _FilmedClips(tmp_path_factory.mktemp("filmed"))
