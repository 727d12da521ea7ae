"""Demo lectures made locally with ffmpeg (title card, moving picture, speech-like tone) and
sent through the real pipeline."""

import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction

from .models import Video
from .services.queue import video_enqueue

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
DEMO_VIDEOS = [
    ("Reanimatie: de eerste twee minuten", 48, "smptehdbars"),
    ("Palliatieve zorg: het gesprek over wensen", 60, "testsrc2"),
    ("Melanoom: de ABCDE-regel in beeld", 42, "rgbtestsrc"),
]


def demo_clip_render(*, title: str, seconds: int, pattern: str, target: Path) -> Path:
    picture = f"{pattern}=size=1280x720:rate=30:duration={seconds}"
    if FONT.exists():
        text = title.replace(":", r"\:").replace("'", "")
        picture += (
            f",drawbox=y=ih-170:w=iw:h=120:color=black@0.6:t=fill,"
            f"drawtext=fontfile={FONT}:text='{text}':fontcolor=white:fontsize=44:x=60:y=h-140"
        )
    # A low tone that swells and fades a few times a second, like a voice.
    voice = f"sine=frequency=180:duration={seconds},tremolo=f=3.5:d=0.8,volume=0.6"
    subprocess.run(
        [
            settings.FFMPEG_BINARY, "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", picture, "-f", "lavfi", "-i", voice,
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(target),
        ],
        check=True,
    )  # fmt: skip
    return target


def demo_videos_seed() -> int:
    """Create and queue the demo lectures that are missing; returns how many were created."""
    created = 0
    with tempfile.TemporaryDirectory() as folder:
        for title, seconds, pattern in DEMO_VIDEOS:
            if Video.objects.filter(title=title).exists():
                continue
            path = demo_clip_render(
                title=title, seconds=seconds, pattern=pattern, target=Path(folder) / "demo.mp4"
            )
            video = Video(title=title, source_name=f"{pattern}.mp4")
            # The file is copied first: SQLite's one write lock is not held while bytes move.
            with open(path, "rb") as handle:
                video.source.save(f"{pattern}.mp4", File(handle), save=False)
            video.source_size = path.stat().st_size
            with transaction.atomic():
                video.save()
                transaction.on_commit(
                    lambda video_id=video.id: video_enqueue(video_id), robust=True
                )
            created += 1
    return created
