"""What is said in the episodes: each video's caption cues as lines a learner's search finds,
with the second they are said at ("…'decubitus' op 4:12").

Playback owns the captions and hands their cues over whenever they are saved
(``video_spoken_lines_replace``); the lines are keyed by video, so an episode that shows another
video is searched by that video's lines, and only live, public episodes with a ready video are
ever offered. A course's search document holds its episodes' spoken lines too, so a course is
found by what is said in it (``catalog.search_index``)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from .durations import clock_from_seconds
from .models import CoursePage, EpisodePage, SpokenLine
from .search_index import course_search_documents_refresh
from .search_text import SEARCH_CONFIG, ParsedQuery, text_fold, word_stem
from .selectors import episodes_of, text_condition

# A learner sees where a word is first said in each episode, for this many episodes per course.
SPOKEN_HITS_PER_COURSE = 2
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    text: str


def video_spoken_lines_replace(*, video_id: int, cues: dict[str, list[Cue]]) -> int:
    """Store a video's caption cues (per language) as its spoken lines, replacing what it had,
    and write again the search documents of the courses that show it. Idempotent."""
    fold = connection.vendor != "postgresql"
    lines = [
        SpokenLine(
            video_id=video_id,
            language=language,
            start=round(max(cue.start, 0.0), 3),
            text=cue.text,
            folded=text_fold(cue.text) if fold else "",
        )
        for language, language_cues in cues.items()
        for cue in language_cues
        if cue.text.strip()
    ]
    with transaction.atomic():
        SpokenLine.objects.filter(video_id=video_id).delete()
        SpokenLine.objects.bulk_create(lines, batch_size=1000)
        if not fold:
            SpokenLine.objects.filter(video_id=video_id).update(
                vector=SearchVector("text", config=SEARCH_CONFIG)
            )
        course_search_documents_refresh(course_ids=_courses_showing(video_id))
    return len(lines)


def _courses_showing(video_id: int) -> list[int]:
    episodes = EpisodePage.objects.filter(video_id=video_id).values_list("path", flat=True)
    paths = {EpisodePage.course_path_of(path) for path in episodes}
    if not paths:
        return []
    return list(CoursePage.objects.filter(path__in=paths).values_list("pk", flat=True))


def video_ids_with_spoken_lines() -> set[int]:
    return set(SpokenLine.objects.values_list("video_id", flat=True).distinct())


@dataclass(frozen=True)
class SpokenHit:
    """Where a searched word is said: an episode, the second, and the line with the words
    found marked (``parts``: (text, found) pairs)."""

    course_id: int
    episode_id: int
    episode_title: str
    url: str  # the episode, starting at the second the line is said
    start: int
    parts: tuple[tuple[str, bool], ...]

    @property
    def clock(self) -> str:
        return clock_from_seconds(self.start)


def spoken_hits(
    *, query: ParsedQuery, course_paths: dict[str, int], request=None
) -> dict[int, list[SpokenHit]]:
    """Per course (``course_paths``: tree path → course id), the first moment a searched word is
    said in its live, public episodes with a ready video; two queries however many courses."""
    words = tuple(term for term in query.terms if not term.excluded)
    if not words or not course_paths:
        return {}
    episodes_by_video: dict[int, list[EpisodePage]] = {}
    for episode in (
        episodes_of(course_paths)
        .live()
        .public()
        .filter(video__published_generation__isnull=False)
        .only("pk", "title", "path", "depth", "url_path", "video_id")
        .order_by("path")
    ):
        episodes_by_video.setdefault(episode.video_id, []).append(episode)
    if not episodes_by_video:
        return {}
    condition, _rank = text_condition(ParsedQuery((words,)), vector="vector", folded="folded")
    first_said = Window(RowNumber(), partition_by=F("video_id"), order_by=F("start").asc())
    lines = (
        SpokenLine.objects.filter(condition, video_id__in=list(episodes_by_video))
        .annotate(said=first_said)
        .filter(said=1)
        .values_list("video_id", "start", "text")
    )
    first_lines = {video_id: (start, text) for video_id, start, text in lines}
    said = [
        (episode, first_lines[episode.video_id])
        for episodes in episodes_by_video.values()
        for episode in episodes
        if episode.video_id in first_lines
    ]
    hits: dict[int, list[SpokenHit]] = {}
    for episode, (start, text) in sorted(said, key=lambda pair: pair[0].path):
        course_hits = hits.setdefault(course_paths[episode.course_path], [])
        if len(course_hits) >= SPOKEN_HITS_PER_COURSE:
            continue
        second = int(start)
        course_hits.append(
            SpokenHit(
                course_id=course_paths[episode.course_path],
                episode_id=episode.pk,
                episode_title=episode.title,
                url=f"{episode.get_url(request)}?t={second}",
                start=second,
                parts=_marked(text, words),
            )
        )
    return hits


def _marked(text: str, terms: Iterable) -> tuple[tuple[str, bool], ...]:
    """The line split into runs of text, each word that meets a searched term marked."""
    patterns = [word_stem(word) for term in terms for word in term.words]
    parts: list[tuple[str, bool]] = []
    cursor = 0
    for match in _WORD.finditer(text):
        folded = text_fold(match[0]).strip()
        if any(pattern and pattern in folded for pattern in patterns):
            if match.start() > cursor:
                parts.append((text[cursor : match.start()], False))
            parts.append((match[0], True))
            cursor = match.end()
    if cursor < len(text):
        parts.append((text[cursor:], False))
    return tuple(parts)
