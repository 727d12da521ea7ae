"""One demo lecture per demo episode (``course_data``): what its slide shows, how long it runs
and its Dutch captions, written from the episode's line and the course's summary."""

import math
import textwrap

from playback.demo import DemoLecture

from .catalog_data import PROVIDERS
from .course_data import COURSES
from .covers import course_colours

# Subtitling habits: at most two lines of 42 characters per cue, read at about 17 characters
# a second; the clips stay short so the first run renders and transcodes them quickly.
CUE_LINE_CHARACTERS = 42
CUE_CHARACTERS_PER_SECOND = 17
CUE_MIN_SECONDS = 1.8
CUE_GAP_SECONDS = 0.2
FIRST_CUE_AT = 0.5
MIN_SECONDS, MAX_SECONDS = 12, 20

FOOTERS = {"nl": "Aflevering {number} van {count}", "en": "Episode {number} of {count}"}


def demo_lecture_name(course_slug: str, number: int) -> str:
    """The demo lecture of a course's episode (1-based), as its file is named."""
    return f"demo-{course_slug}-{number}.mp4"


def demo_lectures() -> list[DemoLecture]:
    """Every demo episode's lecture, in catalog order."""
    lectures = []
    for spec in COURSES:
        episodes = spec["episodes"]
        for number, (title, line) in enumerate(episodes, start=1):
            captions, seconds = _captions(spec, number, title, line)
            colour = "0x{:02x}{:02x}{:02x}".format(*course_colours(spec["title"])[0])
            footer = FOOTERS[spec.get("language", "nl")].format(number=number, count=len(episodes))
            lectures.append(
                DemoLecture(
                    name=demo_lecture_name(spec["slug"], number),
                    title=f"{spec['title']} — {title}",
                    course_title=spec["title"],
                    episode_title=title,
                    footer=f"{footer} · {PROVIDERS[spec['provider']][0]}",
                    seconds=seconds,
                    colour=colour,
                    captions_nl=captions,
                )
            )
    return lectures


def _sentence(text: str) -> str:
    return text if text[-1] in ".?!" else f"{text}."


def _captions(spec: dict, number: int, title: str, line: str) -> tuple[str, int]:
    """WebVTT in Dutch and the clip's length in whole seconds (12 to 20)."""
    episodes = spec["episodes"]
    if number < len(episodes):
        outro = f"Hierna: {_sentence(episodes[number][0])}"
    else:
        outro = "Dit was de laatste aflevering van deze cursus."
    # The first episode opens with what the course is about.
    opening = [_sentence(spec["summary"])] if number == 1 else []
    said = [
        f"Welkom bij {_sentence(spec['title'])}",
        f"Aflevering {number}: {_sentence(title)}",
        *opening,
        _sentence(line),
        outro,
    ]
    cues = []
    for text in said:
        lines = textwrap.wrap(
            text, CUE_LINE_CHARACTERS, break_long_words=False, break_on_hyphens=False
        )
        cues += ["\n".join(lines[i : i + 2]) for i in range(0, len(lines), 2)]
    durations = [max(CUE_MIN_SECONDS, len(cue) / CUE_CHARACTERS_PER_SECOND) for cue in cues]
    room = MAX_SECONDS - 0.5 - FIRST_CUE_AT - CUE_GAP_SECONDS * (len(cues) - 1)
    if sum(durations) > room:
        durations = [seconds * room / sum(durations) for seconds in durations]
    blocks, start = ["WEBVTT"], FIRST_CUE_AT
    for cue, seconds in zip(cues, durations, strict=True):
        blocks.append(f"{_timestamp(start)} --> {_timestamp(start + seconds)}\n{cue}")
        start += seconds + CUE_GAP_SECONDS
    length = min(MAX_SECONDS, max(MIN_SECONDS, math.ceil(start - CUE_GAP_SECONDS + 0.5)))
    return "\n\n".join(blocks) + "\n", length


def _timestamp(seconds: float) -> str:
    milliseconds = round(seconds * 1000)
    return f"{milliseconds // 60000:02d}:{milliseconds // 1000 % 60:02d}.{milliseconds % 1000:03d}"
