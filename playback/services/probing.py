"""Probe a local copy of the upload and decide whether it may be transcoded."""

import math
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings

from ..reasons import Reason, duration_display
from .ffmpeg import FfmpegError, ffprobe


class SourceRejected(Exception):
    def __init__(self, reason: Reason, probe: dict | None = None):
        super().__init__(str(reason))
        self.reason = reason
        self.probe = probe


@dataclass(frozen=True)
class SourceFacts:
    duration: float
    width: int  # as shown: upright, in square pixels
    height: int
    frame_rate: float
    has_audio: bool
    video_codec: str
    rotation: int = 0  # see stream_rotation


def stream_rotation(stream: dict) -> int:
    """Degrees (0, 90, 180 or 270) a player turns the stored frames clockwise to show them
    upright: a phone films sideways and says so in a display matrix, older files in a tag."""
    degrees = None
    for side_data in stream.get("side_data_list") or []:
        if "rotation" in side_data:
            # ffprobe gives the display matrix's angle counter-clockwise.
            degrees = -_number(side_data["rotation"])
            break
    if degrees is None:
        degrees = _number((stream.get("tags") or {}).get("rotate"))
    return round(degrees / 90) % 4 * 90


def source_rotation(probe: dict | None) -> int:
    """The rotation of the picture the transcoder uses (see stream_rotation)."""
    video = _video_stream(probe or {})
    return stream_rotation(video) if video else 0


def _number(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def _video_stream(probe: dict) -> dict | None:
    """The picture: the first video stream that is not cover art."""
    return next(
        (
            s
            for s in probe.get("streams", [])
            if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
        ),
        None,
    )


def _display_size(stream: dict, rotation: int) -> tuple[int, int]:
    """Width and height as shown: stretched by a non-square pixel shape, then turned."""
    width, height = int(stream["width"]), int(stream["height"])
    try:
        shape = Fraction(str(stream.get("sample_aspect_ratio") or "1:1").replace(":", "/"))
    except (ValueError, ZeroDivisionError):
        shape = Fraction(1)
    if shape > 0 and shape != 1:
        width = max(2, round(width * shape / 2) * 2)
    return (height, width) if rotation in (90, 270) else (width, height)


def _frame_rate(stream: dict) -> float:
    for key in ("avg_frame_rate", "r_frame_rate"):
        value = stream.get(key) or "0/0"
        try:
            rate = Fraction(value)
        except (ValueError, ZeroDivisionError):
            continue
        if rate > 0:
            return float(rate)
    return 0.0


def _duration(probe: dict, stream: dict) -> float:
    for value in (probe.get("format", {}).get("duration"), stream.get("duration")):
        try:
            duration = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(duration):
            return duration
    return 0.0


def source_probe(path) -> dict:
    if path.stat().st_size == 0:
        raise SourceRejected(Reason("empty_file"))
    try:
        return ffprobe(path)
    except FfmpegError as exc:
        # A file that starts like a video but cannot be read to the end.
        if "moov atom not found" in exc.stderr or "partial file" in exc.stderr:
            raise SourceRejected(Reason("damaged")) from exc
        raise SourceRejected(Reason("not_a_video")) from exc


def source_validate(probe: dict) -> SourceFacts:
    """The facts the transcoder needs, or SourceRejected with the reason an editor reads."""
    limits = settings.PLAYBACK_LIMITS
    video = _video_stream(probe)
    audios = [s for s in probe.get("streams", []) if s.get("codec_type") == "audio"]
    if video is None:
        raise SourceRejected(Reason("no_video_stream"), probe)

    codec = video.get("codec_name", "?")
    if codec not in limits["video_codecs"]:
        raise SourceRejected(Reason("video_codec", {"codec": codec}), probe)
    if audios and audios[0].get("codec_name") not in limits["audio_codecs"]:
        raise SourceRejected(Reason("audio_codec", {"codec": audios[0].get("codec_name")}), probe)

    width, height = int(video.get("width") or 0), int(video.get("height") or 0)
    if width <= 0 or height <= 0:
        raise SourceRejected(Reason("damaged"), probe)
    long_side, short_side = max(width, height), min(width, height)
    if long_side > limits["max_width"] or short_side > limits["max_height"]:
        params = {
            "width": width,
            "height": height,
            "max_width": limits["max_width"],
            "max_height": limits["max_height"],
        }
        raise SourceRejected(Reason("resolution_too_large", params), probe)

    frame_rate = _frame_rate(video)
    if frame_rate > limits["max_fps"] + 0.01:
        params = {"frame_rate": f"{frame_rate:.2f}", "max_fps": limits["max_fps"]}
        raise SourceRejected(Reason("frame_rate_too_high", params), probe)

    duration = _duration(probe, video)
    if duration < limits["min_duration_seconds"]:
        raise SourceRejected(Reason("too_short"), probe)
    if duration > limits["max_duration_seconds"]:
        params = {
            "duration": duration_display(duration),
            "maximum": duration_display(limits["max_duration_seconds"]),
        }
        raise SourceRejected(Reason("too_long", params), probe)

    rotation = stream_rotation(video)
    shown_width, shown_height = _display_size(video, rotation)
    return SourceFacts(
        duration=duration,
        width=shown_width,
        height=shown_height,
        frame_rate=frame_rate or 25.0,
        has_audio=bool(audios),
        video_codec=codec,
        rotation=rotation,
    )
