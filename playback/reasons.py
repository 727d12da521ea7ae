"""Why a video was rejected or failed: codes stored on the video, messages in every language."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "empty_file": _("The file is empty."),
    "not_a_video": _("This file is not a video."),
    "damaged": _("This file is damaged or incomplete."),
    "no_video_stream": _("This file has no video picture; is it an audio file?"),
    "too_short": _("This video has no length."),
    "too_long": _("The video lasts %(duration)s; at most %(maximum)s is allowed."),
    "resolution_too_large": _(
        "Resolution %(width)s×%(height)s is larger than allowed (%(max_width)s×%(max_height)s)."
    ),
    "frame_rate_too_high": _(
        "Frame rate %(frame_rate)s fps is higher than allowed (%(max_fps)s fps)."
    ),
    "video_codec": _("Video codec %(codec)s is not supported."),
    "audio_codec": _("Audio codec %(codec)s is not supported."),
    "transcode_error": _("Transcoding stopped with an error: %(detail)s"),
    "timeout": _("Transcoding took longer than the %(minutes)s minutes allowed."),
    "attempts_exhausted": _("Transcoding failed %(attempts)s times; the file was set aside."),
    "source_missing": _("The uploaded file can no longer be found."),
    "stalled": _(
        "Processing stopped %(attempts)s times without finishing (the worker stopped "
        "responding); the file was set aside."
    ),
    "database_error": _(
        "The database kept refusing while the video was processed (%(detail)s). "
        "Choose Transcode again to try once more."
    ),
}


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.code not in MESSAGES:
            raise ValueError(f"unknown reason {self.code!r}")

    def __str__(self) -> str:
        return reason_message(self.code, self.params)


def reason_message(code: str, params: dict) -> str:
    if not code:
        return ""
    message = MESSAGES.get(code)
    if message is None:
        return code
    return str(message) % params if params else str(message)


def duration_display(seconds: float) -> str:
    hours, rest = divmod(round(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
