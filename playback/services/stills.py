"""A poster frame and seek-preview thumbnails (one sprite sheet and a WebVTT index)."""

import io
import logging
import math
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.images import get_image_model

from ..layout import THUMBNAILS_INDEX, THUMBNAILS_SPRITE
from ..models import Video
from .ffmpeg import ffmpeg_run, filter_text, input_options, upright_filters
from .probing import source_rotation
from .workspace import video_storage

logger = logging.getLogger(__name__)
POSTER_MAX_WIDTH = 1280
# A seek thumbnail fits this box (a 16:9 frame fills it): the player shows it above the bar.
THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT = 160, 90
SPRITE_COLUMNS = 10
MAX_THUMBNAILS = 100


def video_poster_make(*, video: Video, source: Path, scratch: Path) -> None:
    """A poster from one frame of the source, unless an editor chose one; never fatal."""
    if video.poster_id is not None:
        return
    try:
        poster = poster_render(
            source=source,
            target=scratch / "poster.jpg",
            duration=video.duration,
            width=video.width,
            height=video.height,
            rotation=source_rotation(video.probe),
        )
        image = poster_image_create(title=video.title, path=poster)
        Video.objects.filter(pk=video.pk).update(poster=image)
        video.poster = image
    except Exception:
        logger.exception("no poster could be made for video %s", video.pk)


def video_thumbnails_make(*, video: Video, lowest_rung: Path, scratch: Path) -> None:
    """Seek thumbnails from the lowest rung (far cheaper to decode than the source).

    A video plays without them, so a failure is logged, never fatal.
    """
    try:
        small = rung_file_join(folder=lowest_rung, target=scratch / "lowest.mp4")
        sprite, tile_width, tile_height = sprite_render(
            source=small, target=scratch / "sprite.jpg", duration=video.duration
        )
        vtt = thumbnails_vtt(
            duration=video.duration,
            tile_width=tile_width,
            tile_height=tile_height,
            sprite_uri="sprite.jpg",
        )
        stills_publish(storage=video_storage(), prefix=video.storage_prefix, sprite=sprite, vtt=vtt)
    except Exception:
        logger.exception("no seek thumbnails could be made for video %s", video.pk)


def poster_time(duration: float) -> float:
    """A frame a little into the lecture, past a black or title opening."""
    return min(max(duration * 0.1, 0.0), max(duration - 0.5, 0.0))


def poster_render(
    *, source: Path, target: Path, duration: float, width: int, height: int, rotation: int = 0
) -> Path:
    """One frame as shown (upright, square pixels; ``width`` and ``height`` as shown), never
    wider than POSTER_MAX_WIDTH and never upscaled."""
    poster_width = min(width, POSTER_MAX_WIDTH)
    poster_height = max(2, round(height * poster_width / width / 2) * 2)
    filters = [*filter_text(upright_filters(rotation)), f"scale={poster_width}:{poster_height}"]
    arguments = [
        "-ss", f"{poster_time(duration):.2f}",
        "-noautorotate",
        *_input(source),
        "-frames:v", "1", "-vf", ",".join([*filters, "setsar=1"]), "-q:v", "3", str(target),
    ]  # fmt: skip
    ffmpeg_run(arguments, timeout=120)
    return target


def thumbnail_interval(duration: float) -> int:
    return max(2, math.ceil(duration / MAX_THUMBNAILS))


def sprite_render(*, source: Path, target: Path, duration: float) -> tuple[Path, int, int]:
    """One sheet of thumbnails every few seconds; returns the sheet and one tile's size.

    The source is a rung (upright, square pixels). A tile keeps its shape within the box, so a
    portrait video gets portrait thumbnails no taller than a landscape one's.
    """
    interval = thumbnail_interval(duration)
    count = max(1, math.ceil(duration / interval))
    rows = math.ceil(count / SPRITE_COLUMNS)
    box = (
        f"scale={THUMBNAIL_WIDTH}:{THUMBNAIL_HEIGHT}"
        ":force_original_aspect_ratio=decrease:force_divisible_by=2"
    )
    arguments = [
        *_input(source),
        "-vf",
        f"fps=1/{interval},{box},tile={SPRITE_COLUMNS}x{rows}",
        "-frames:v", "1", "-q:v", "5", str(target),
    ]  # fmt: skip
    ffmpeg_run(arguments, timeout=max(300, duration))
    from PIL import Image

    with Image.open(target) as sheet:
        return target, sheet.width // SPRITE_COLUMNS, sheet.height // rows


def rung_file_join(*, folder: Path, target: Path) -> Path:
    """One fragmented MP4 from a rung's init segment and media segments, in order."""
    init = next(folder.glob("init*.mp4"))
    with open(target, "wb") as joined:
        for part in [init, *sorted(folder.glob("seg_*.m4s"))]:
            joined.write(part.read_bytes())
    return target


def thumbnails_vtt(*, duration: float, tile_width: int, tile_height: int, sprite_uri: str) -> str:
    interval = thumbnail_interval(duration)
    lines = ["WEBVTT", ""]
    start = 0.0
    index = 0
    while start < duration:
        end = min(start + interval, duration)
        x = (index % SPRITE_COLUMNS) * tile_width
        y = (index // SPRITE_COLUMNS) * tile_height
        lines += [
            f"{_timestamp(start)} --> {_timestamp(end)}",
            f"{sprite_uri}#xywh={x},{y},{tile_width},{tile_height}",
            "",
        ]
        start, index = end, index + 1
    return "\n".join(lines)


def poster_image_create(*, title: str, path: Path):
    """The poster as a Wagtail image, so editors can crop it or choose another."""
    image = get_image_model()(title=f"Poster: {title}"[:255])
    image.file = ImageFile(io.BytesIO(path.read_bytes()), name="poster.jpg")
    image.save()
    return image


def stills_publish(*, storage, prefix: str, sprite: Path, vtt: str) -> None:
    with open(sprite, "rb") as handle:
        storage.save(f"{prefix}/{THUMBNAILS_SPRITE}", ContentFile(handle.read()))
    storage.save(f"{prefix}/{THUMBNAILS_INDEX}", ContentFile(vtt.encode()))


def _input(source: Path) -> list[str]:
    options = input_options()
    return [
        "-protocol_whitelist", options["protocol_whitelist"],
        "-format_whitelist", options["format_whitelist"],
        "-i", f"file:{source}",
    ]  # fmt: skip


def _timestamp(seconds: float) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{int(hours):02d}:{int(minutes):02d}:{secs:06.3f}"
