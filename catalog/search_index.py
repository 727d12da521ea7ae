"""Keeps each course's search document, and the words search suggests, in step with the
course and its live episodes (and what is said in their videos, ``catalog.spoken``)."""

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.utils.html import strip_tags

from .models import CoursePage, CourseSearchDocument, EpisodePage, SearchWord, SpokenLine
from .search_text import SEARCH_CONFIG, is_vocabulary_word, text_fold
from .selectors import episodes_of


def _stream_text(stream) -> list[str]:
    return [strip_tags(text) for text in stream.stream_block.get_searchable_content(stream)]


def _names(items) -> list[str]:
    return [part for item in items for part in (item.name, item.name_en) if part]


def _course_documents(courses: list[CoursePage]) -> list[CourseSearchDocument]:
    episodes_by_course: dict[str, list[EpisodePage]] = {}
    episodes = (
        episodes_of(course.path for course in courses)
        .live()
        .prefetch_related("chapters")
        .order_by("path")
    )
    for episode in episodes:
        episodes_by_course.setdefault(episode.course_path, []).append(episode)
    said = _spoken_text(episode.video_id for episode in episodes if episode.video_id)
    documents = []
    fold = connection.vendor != "postgresql"  # PostgreSQL searches the vector instead
    for course in courses:
        keywords = [course.title, course.subtitle]
        keywords += _names(course.topics.all())
        keywords += _names(course.competencies.all())
        keywords += _names(course.professions.all())
        if course.provider:
            keywords.append(course.provider.name)
        text = [course.summary, *_stream_text(course.body)]
        for episode in episodes_by_course.get(course.path, []):
            text.append(episode.title)
            text += _stream_text(episode.description)
            text += [chapter.title for chapter in episode.chapters.all()]
            text += said.get(episode.video_id, [])
        document = CourseSearchDocument(
            course=course,
            keywords="\n".join(part for part in keywords if part),
            text="\n".join(part for part in text if part),
        )
        if fold:
            document.folded = text_fold(f"{document.keywords}\n{document.text}")
        documents.append(document)
    return documents


def _spoken_text(video_ids) -> dict[int, list[str]]:
    """What is said in these videos (their caption lines), so a course is found by it."""
    said: dict[int, list[str]] = {}
    lines = SpokenLine.objects.filter(video_id__in=set(video_ids)).order_by("video_id", "start")
    for video_id, text in lines.values_list("video_id", "text"):
        said.setdefault(video_id, []).append(text)
    return said


def _words_record(documents: list[CourseSearchDocument]) -> None:
    words = set()
    for document in documents:
        folded = document.folded or text_fold(f"{document.keywords}\n{document.text}")
        words.update(word for word in folded.split() if is_vocabulary_word(word))
    SearchWord.objects.bulk_create(
        [SearchWord(word=word) for word in sorted(words)], ignore_conflicts=True, batch_size=2000
    )


def course_search_documents_refresh(*, course_ids, batch_size: int = 500) -> int:
    """Write the search documents of these courses again; returns how many were written."""
    course_ids = list(course_ids)
    written = 0
    for start in range(0, len(course_ids), batch_size):
        batch = course_ids[start : start + batch_size]
        courses = list(
            CoursePage.objects.filter(pk__in=batch)
            .select_related("provider")
            .prefetch_related("topics", "competencies", "professions")
        )
        documents = _course_documents(courses)
        CourseSearchDocument.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["course"],
            update_fields=["keywords", "text", "folded", "updated_at"],
        )
        _words_record(documents)
        if connection.vendor == "postgresql":
            CourseSearchDocument.objects.filter(course_id__in=batch).update(
                vector=SearchVector("keywords", weight="A", config=SEARCH_CONFIG)
                + SearchVector("text", weight="C", config=SEARCH_CONFIG)
            )
        written += len(documents)
    return written


def course_of_page(page) -> int | None:
    """The course a course or episode page belongs to."""
    if isinstance(page, CoursePage):
        return page.pk
    if isinstance(page, EpisodePage):
        return (
            CoursePage.objects.filter(path=EpisodePage.course_path_of(page.path))
            .values_list("pk", flat=True)
            .first()
        )
    return None


def course_search_documents_missing_build() -> int:
    """Build the documents of courses that have none yet (after a migration or an import)."""
    missing = CoursePage.objects.filter(search_document__isnull=True).values_list("pk", flat=True)
    return course_search_documents_refresh(course_ids=missing)
