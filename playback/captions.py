"""Captions: WebVTT as players want it; SRT is converted on upload."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_CAPTION_BYTES = 2 * 1024 * 1024
_SRT_TIME = re.compile(r"(\d{1,2}:\d{2}:\d{2}),(\d{3})")
_CUE_TIMING = re.compile(r"^\s*(\d{1,2}:)?\d{2}:\d{2}\.\d{3}\s+-->\s+(\d{1,2}:)?\d{2}:\d{2}\.\d{3}")


def captions_to_webvtt(data: bytes) -> str:
    """WebVTT text from an uploaded .vtt or .srt file, or ValidationError saying why not."""
    if len(data) > MAX_CAPTION_BYTES:
        raise ValidationError(_("A caption file may be at most 2 MB."), code="too_large")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("Save the caption file as UTF-8 text (WebVTT or SRT)."), code="encoding"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text.startswith("WEBVTT"):
        # SRT: the same cues with commas before the milliseconds and no header.
        text = "WEBVTT\n\n" + _SRT_TIME.sub(r"\1.\2", text)
    if not any(_CUE_TIMING.match(line) for line in text.splitlines()):
        raise ValidationError(
            _("This file contains no captions with times (WebVTT or SRT expected)."),
            code="no_cues",
        )
    if "<script" in text.lower():
        raise ValidationError(_("Caption files may not contain scripts."), code="script")
    return text + "\n"


_TIMESTAMP = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})\.(\d{3})")
_TAG = re.compile(r"<[^>]*>")


def webvtt_cues(text: str) -> list[tuple[float, str]]:
    """The cues of WebVTT text as (start in seconds, what is said), in the file's order; the
    lines of a cue joined by a space, voice and styling tags left out."""
    cues = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = block.strip("\n").split("\n")
        timing = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if timing is None:
            continue  # the header, a NOTE, STYLE or REGION block
        start = _TIMESTAMP.search(lines[timing].split("-->")[0])
        if start is None:
            continue
        hours, minutes, seconds, millis = (int(part or 0) for part in start.groups())
        said = " ".join(_TAG.sub("", line).strip() for line in lines[timing + 1 :])
        said = " ".join(said.split())
        if said:
            cues.append((hours * 3600 + minutes * 60 + seconds + millis / 1000, said))
    return cues
