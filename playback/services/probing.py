"""Probe a local copy of the upload and decide whether it may be transcoded."""

import math
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings

from ..reasons import Reason, duration_display
from .ffmpeg import FfmpegError, ffprobe

# The rates a ladder is encoded at: whole ones, and the NTSC ones a source may be filmed at.
WHOLE_FRAME_RATES = tuple(Fraction(rate) for rate in (12, 15, 24, 25, 30, 48, 50, 60))
NTSC_FRAME_RATES = tuple(Fraction(rate * 1000, 1001) for rate in (24, 30, 60))
FALLBACK_FRAME_RATE = Fraction(25)


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


def output_frame_rate(stream: dict, *, maximum: float) -> Fraction:
    """The one constant rate a source is encoded at, declared with and keyed by, from its probe.

    A steady source gives its rate twice. A phone that films at a varying rate gives its
    nominal rate in ``r_frame_rate`` and less on average; ``r_frame_rate`` can also be a time
    base (1000, 90000), so it counts only from the average up to ``maximum``. The rate is then
    snapped to a standard rate within 1 %, else to the next whole one up: no frame is dropped.
    """
    average, nominal = _rate(stream, "avg_frame_rate"), _rate(stream, "r_frame_rate")
    ceiling = Fraction(maximum).limit_denominator(1001)
    if nominal > 0 and average <= nominal <= ceiling:
        rate = nominal
    else:
        rate = average or (nominal if nominal <= ceiling else 0) or FALLBACK_FRAME_RATE
    whole = [r for r in WHOLE_FRAME_RATES if r <= ceiling] or [ceiling]
    rate = min(rate, whole[-1])
    near = [r for r in (*whole, *NTSC_FRAME_RATES) if abs(r - rate) <= rate / 100]
    if near:
        return min(near, key=lambda r: abs(r - rate))
    return next(r for r in whole if r >= rate)


def frame_rate_exact(frame_rate: float) -> Fraction:
    """A rate kept as a float (29.97002997…) back as the fraction ffmpeg is given (30000/1001)."""
    return Fraction(frame_rate).limit_denominator(1001)


def _rate(stream: dict, key: str) -> Fraction:
    try:
        rate = Fraction(stream.get(key) or "0/0")
    except (ValueError, ZeroDivisionError):
        return Fraction(0)
    return max(rate, Fraction(0))


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
        frame_rate=float(output_frame_rate(video, maximum=limits["max_fps"])),
        has_audio=bool(audios),
        video_codec=codec,
        rotation=rotation,
    )
