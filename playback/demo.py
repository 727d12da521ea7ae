"""Demo lectures made locally with ffmpeg (a title slide in the course's colour, a moving
progress line, a speech-like tone), each with Dutch captions, sent through the real pipeline."""

import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import ImageFont

from .captions import captions_to_webvtt
from .models import Caption, Video
from .services.queue import video_enqueue

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
WIDTH, HEIGHT = 1280, 720
# A slide needs few frames: 15 a second keeps the progress line smooth and the render and the
# transcode cheap.
FRAME_RATE = 15
ACCENT = "0xf2c14e"


@dataclass(frozen=True)
class DemoLecture:
    name: str  # the source file's name: how a later seed knows the lecture is there
    title: str
    course_title: str
    episode_title: str
    footer: str
    seconds: int
    colour: str  # the slide's background, 0xRRGGBB
    captions_nl: str  # WebVTT


def _wrapped(text: str, *, font: Path, size: int, width: int) -> str:
    """The text in lines no wider than ``width`` pixels, for drawtext."""
    measure = ImageFont.truetype(str(font), size)
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and measure.getlength(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return "\n".join([*lines, line])


def _slide_filter(lecture: DemoLecture, folder: Path) -> str:
    """The lavfi graph: the slide is drawn once and repeated; only the progress line and the
    clock are drawn on every frame."""
    frames = lecture.seconds * FRAME_RATE
    source = f"color=c={lecture.colour}:size={WIDTH}x{HEIGHT}:rate={FRAME_RATE},format=yuv420p"
    if not FONT_BOLD.exists():
        return source  # no title without the font; the length comes from the output's -t
    texts = {
        "course": (lecture.course_title, FONT, 34),
        "episode": (lecture.episode_title, FONT_BOLD, 64),
        "footer": (lecture.footer, FONT, 26),
    }
    for key, (text, font, size) in texts.items():
        wrapped = _wrapped(text, font=font, size=size, width=WIDTH - 160)
        (folder / f"{key}.txt").write_text(wrapped, encoding="utf-8")

    def text(key: str, colour: str, y: str) -> str:
        _text, font, size = texts[key]
        return (
            f"drawtext=fontfile={font}:textfile='{folder / f'{key}.txt'}':expansion=none:"
            f"fontcolor={colour}:fontsize={size}:line_spacing=12:x=80:y={y}"
        )

    return (
        f"{source},"
        f"{text('course', 'white@0.85', '200-th')},"
        f"drawbox=x=80:y=228:w=140:h=6:color={ACCENT}:t=fill,"
        f"{text('episode', 'white', '268')},"
        f"{text('footer', 'white@0.75', 'h-110')},"
        f"trim=end_frame=1,loop=loop={frames}:size=1:start=0,setpts=N/FRAME_RATE/TB[slide];"
        f"color=c={ACCENT}:size={WIDTH}x8:rate={FRAME_RATE},format=yuv420p[line];"
        f"[slide][line]overlay=x=-W+W*t/{lecture.seconds}:y=H-8:shortest=1:format=yuv420,"
        f"drawtext=fontfile={FONT}:text='%{{pts\\:hms}}':fontcolor=white@0.6:fontsize=24:"
        f"x=w-tw-80:y=h-58"
    )


def demo_clip_render(*, lecture: DemoLecture, folder: Path) -> Path:
    """The lecture as an MP4 in ``folder``: H.264 and AAC, as a camera or screen recorder makes."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / lecture.name
    # A low tone that swells and fades a few times a second, like a voice.
    voice = f"sine=frequency=180:duration={lecture.seconds},tremolo=f=3.5:d=0.8,volume=0.6"
    subprocess.run(
        [
            settings.FFMPEG_BINARY, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
            "-f", "lavfi", "-i", _slide_filter(lecture, folder), "-f", "lavfi", "-i", voice,
            "-map", "0:v", "-map", "1:a", "-t", str(lecture.seconds),
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-movflags", "+faststart", str(target),
        ],
        check=True,
    )  # fmt: skip
    return target


def demo_videos_seed(*, lectures: list[DemoLecture]) -> int:
    """Render, store and queue the demo lectures that are missing, each with its Dutch captions;
    returns how many were created."""
    present = set(
        Video.objects.filter(source_name__in=[lecture.name for lecture in lectures]).values_list(
            "source_name", flat=True
        )
    )
    missing = [lecture for lecture in lectures if lecture.name not in present]
    if not missing:
        return 0
    with tempfile.TemporaryDirectory() as folder:
        # ffmpeg runs outside the interpreter: one render per core at a time.
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            paths = list(
                pool.map(
                    lambda numbered: demo_clip_render(
                        lecture=numbered[1], folder=Path(folder) / str(numbered[0])
                    ),
                    enumerate(missing),
                )
            )
        for lecture, path in zip(missing, paths, strict=True):
            _lecture_store(lecture, path)
    return len(missing)


def _lecture_store(lecture: DemoLecture, path: Path) -> Video:
    video = Video(title=lecture.title, source_name=lecture.name)
    caption = Caption(language="nl")
    # The files are written first: SQLite's one write lock is not held while bytes move.
    with open(path, "rb") as handle:
        video.source.save(lecture.name, File(handle), save=False)
    video.source_size = path.stat().st_size
    caption.video = video
    text = captions_to_webvtt(lecture.captions_nl.encode())
    caption.file.save("nl.vtt", ContentFile(text.encode()), save=False)
    with transaction.atomic():
        video.save()
        caption.video = video
        caption.save()
        transaction.on_commit(lambda video_id=video.id: video_enqueue(video_id), robust=True)
    return video
