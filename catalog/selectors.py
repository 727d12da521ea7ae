"""Reads of the catalog for pages and other apps."""

import difflib
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Left, Length
from django.urls import reverse

from .durations import clock_from_seconds, minutes_from_seconds
from .generation import cached_read, catalog_generation, page_cache_enabled
from .models import CoursePage, EpisodePage, SearchWord
from .search_text import (
    SEARCH_CONFIG,
    STEM_MIN_LENGTH,
    ParsedQuery,
    Term,
    is_vocabulary_word,
    query_parse,
    text_fold,
    word_stem,
)

# How alike a word from the courses must be to a misspelt search word to be suggested, as
# difflib's ratio ("decubitis" / "decubitus" 0.89, "demnetie" / "dementie" 0.88, "knie" / "knip"
# 0.75), and how many candidates PostgreSQL's trigram index hands over to compare.
SUGGESTION_MIN_RATIO = 0.8
SUGGESTION_CANDIDATES = 20


def episodes_of(course_paths) -> QuerySet:
    """The episodes (live or not) under these courses, each with its ``course_path``; the tree
    paths are matched as index ranges."""
    course_paths = list(course_paths)
    if not course_paths:
        return EpisodePage.objects.none()
    step = EpisodePage.steplen
    under = Q()
    for path in course_paths:
        under |= Q(path__range=(path + "0" * step, path + "Z" * step))
    depths = {len(path) // step + 1 for path in course_paths}
    return EpisodePage.objects.filter(under, depth__in=depths).annotate(
        course_path=Left("path", Length("path") - step)
    )


@dataclass(frozen=True)
class Chapter:
    start: float
    title: str

    @property
    def clock(self) -> str:
        return clock_from_seconds(self.start)


@dataclass(frozen=True)
class NextEpisode:
    url: str
    title: str


@dataclass(frozen=True)
class CourseLink:
    id: int
    title: str
    url: str
    free: bool


@dataclass(frozen=True)
class AttachmentLink:
    title: str
    url: str


@dataclass(frozen=True)
class EpisodeLink:
    """One of the course's live episodes, as the list beside the player shows it."""

    id: int
    title: str
    url: str
    minutes: int
    playable: bool


@dataclass(frozen=True)
class EpisodeFacts:
    """What an episode page shows every learner alike."""

    course: CourseLink
    chapters: tuple[Chapter, ...]
    attachments: tuple[AttachmentLink, ...]
    next_in_course: NextEpisode | None
    has_end_test: bool
    # The catalog generation these were read in; None when the page cache is off.
    generation: int | None = None
    # The course's live episodes in order, this one among them.
    episodes: tuple[EpisodeLink, ...] = ()


def episode_facts(*, episode: EpisodePage, request) -> EpisodeFacts:
    """Cached under the catalog generation; the next episode follows its video's readiness
    within a minute."""
    return cached_read(
        "episode", f"{episode.pk}:{request.get_host()}", lambda: _episode_facts(episode, request)
    )


def _episode_facts(episode: EpisodePage, request) -> EpisodeFacts:
    course = CoursePage.objects.get(path=EpisodePage.course_path_of(episode.path))
    # Siblings share the course's view restrictions, which Wagtail checked for this page.
    siblings = list(
        EpisodePage.objects.sibling_of(episode, inclusive=True)
        .live()
        .annotate(
            video_seconds=F("video__duration"), video_generation=F("video__published_generation")
        )
        .defer_streamfields()
        .order_by("path")
    )
    following = next(
        (e for e in siblings if e.path > episode.path and e.video_generation is not None), None
    )
    return EpisodeFacts(
        course=CourseLink(course.pk, course.title, course.get_url(request), course.is_free),
        chapters=tuple(
            Chapter(chapter.start.total_seconds(), chapter.title)
            for chapter in episode.chapters.all()
        ),
        # One link for every learner: the download view checks access when it is followed.
        attachments=tuple(
            AttachmentLink(
                str(attachment),
                reverse("playback:document", kwargs={"document_id": attachment.document_id}),
            )
            for attachment in episode.attachments.select_related("document")
        ),
        next_in_course=NextEpisode(following.get_url(request), following.title)
        if following is not None
        else None,
        has_end_test=episode.questions.exists(),
        generation=catalog_generation() if page_cache_enabled() else None,
        episodes=tuple(
            EpisodeLink(
                sibling.pk,
                sibling.title,
                sibling.get_url(request),
                minutes_from_seconds(sibling.video_seconds),
                sibling.video_generation is not None,
            )
            for sibling in siblings
        ),
    )


# --- Learners' search -------------------------------------------------------------------------


@dataclass(frozen=True)
class TextMatch:
    """A learner's search words as a condition on courses (through their search documents) and,
    on PostgreSQL, the relevance to order them by."""

    query: ParsedQuery
    courses: Q
    rank: SearchRank | None = None

    def found_in(self, text: str) -> bool:
        """Whether a short text, such as an episode title, meets the search."""
        return self.query.found_in(text)


def course_text_match(*, query: str) -> TextMatch:
    """Accents and case never matter and a word finds its Dutch forms; on PostgreSQL through
    the accent-free Dutch full-text vector (a word, or any word starting with its stem), elsewhere
    by substring of the folded text."""
    parsed = query_parse(query)
    condition, tsquery = text_condition(
        parsed, vector="search_document__vector", folded="search_document__folded"
    )
    if tsquery is None:
        return TextMatch(parsed, condition)
    return TextMatch(parsed, condition, SearchRank(F("search_document__vector"), tsquery))


def text_condition(
    parsed: ParsedQuery, *, vector: str, folded: str
) -> tuple[Q, SearchQuery | None]:
    """The search as a condition on a full-text vector field (PostgreSQL) or a folded text
    field (elsewhere), and on PostgreSQL the query to rank by."""
    if not parsed.groups:
        return Q(pk__isnull=True), None  # nothing searchable: nothing found
    if connection.vendor == "postgresql":
        tsquery = None
        for group in parsed.groups:
            either = None
            for term in group:
                either = _tsquery(term) if either is None else either | _tsquery(term)
            tsquery = either if tsquery is None else tsquery & either
        return Q(**{vector: tsquery}), tsquery
    condition = Q()
    for group in parsed.groups:
        either = Q()
        for term in group:
            found = Q(**{f"{folded}__contains": term.pattern})
            either |= ~found if term.excluded else found
        condition &= either
    return condition, None


class _WordOrStemQuery(SearchQuery):
    """A word, or any word that starts with its stem ("palliatie:*" for "palliatief"); a stop
    word stays a stop word, which matching ignores."""

    def __init__(self, word: str):
        super().__init__(word, config=SEARCH_CONFIG)
        # A folded word is letters, digits and underscores only: safe inside quotes.
        self.prefix = f"'{word_stem(word)}':*"

    def as_sql(self, compiler, connection, function=None, template=None):
        exact, params = super().as_sql(compiler, connection, function, template)
        sql = (
            f"CASE WHEN numnode({exact}) = 0 THEN {exact} "
            f"ELSE {exact} || to_tsquery(%s::regconfig, %s) END"
        )
        return sql, [*params, *params, *params, SEARCH_CONFIG, self.prefix]


def _tsquery(term: Term) -> SearchQuery:
    if term.excluded or not term.is_word:
        query = SearchQuery(" ".join(term.words), config=SEARCH_CONFIG, search_type="phrase")
        return ~query if term.excluded else query
    if len(word_stem(term.words[0])) < STEM_MIN_LENGTH:
        return SearchQuery(term.words[0], config=SEARCH_CONFIG)
    return _WordOrStemQuery(term.words[0])


def search_query_suggestion(*, query: str) -> str | None:
    """The search with each word that no course contains replaced by the most alike word that
    one does ("decubitis" → "decubitus"), or None when there is nothing to correct."""
    words = {
        term.words[0]
        for term in query_parse(query).terms
        if term.is_word and not term.excluded and is_vocabulary_word(term.words[0])
    }
    if not words:
        return None
    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    corrections = {}
    for word in sorted(words - known):
        alike = _most_alike_word(word)
        if alike is not None:
            corrections[word] = alike
    if not corrections:
        return None
    return re.sub(r"\w+", lambda m: corrections.get(text_fold(m[0]).strip(), m[0]), query)


def _most_alike_word(word: str) -> str | None:
    if connection.vendor == "postgresql":
        # The words sharing most trigrams with it (pg_trgm's % and the index of migration 0009),
        # whatever letter they start with.
        candidates = (
            SearchWord.objects.filter(word__trigram_similar=word)
            .annotate(similarity=TrigramSimilarity("word", word))
            .order_by("-similarity", "word")
            .values_list("word", flat=True)[:SUGGESTION_CANDIDATES]
        )
    else:
        # The words with the same first letter and about as long.
        first = word[0]
        candidates = (
            SearchWord.objects.filter(word__gte=first, word__lt=chr(ord(first) + 1))
            .annotate(length=Length("word"))
            .filter(length__range=(len(word) - 2, len(word) + 2))
            .values_list("word", flat=True)
        )
    alike = difflib.get_close_matches(word, list(candidates), n=1, cutoff=SUGGESTION_MIN_RATIO)
    return alike[0] if alike else None
