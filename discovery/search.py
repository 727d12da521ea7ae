"""The learners' catalog search: full-text over courses and their episodes, with facets.

A search is described by a ``SearchRequest`` (``catalog.search_params`` reads it from the URL),
turned here into one filter per facet; the facets and their counts are ``facets``'. Facet counts
are disjunctive: the counts of a facet apply every other facet's filter but not its own, so
choosing a second profession shows how many courses it would add. Everything runs in a fixed
number of queries.

The words are matched by the catalog (``catalog.api.course_text_match``): accents and case never
matter, a word finds its Dutch forms, and quotes, ``or`` and ``-word`` work as people expect from
web search. Under each course the moments its episodes say the words are linked ("said in"),
from the episodes' captions (``catalog.api.spoken_hits``). When a search finds few courses, a
spelling that finds more is suggested, and when it finds none the suggestion's courses are
shown."""

import math
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation import api as accreditation_api
from catalog.api import (
    TextMatch,
    course_text_match,
    episodes_of,
    search_query_suggestion,
    spoken_hits,
)
from catalog.models import CoursePage

from .cards import course_cards
from .facets import Facet, search_facets
from .learners import Learner
from .places import distance_squared
from .search_params import DURATIONS, FORMATS, PRICES, SearchRequest, Vocabulary

# Fewer courses than this and a search looks for a spelling that finds more.
FEW_RESULTS = 3


# --- Filters ------------------------------------------------------------------------------


def _courses_with(through_field: str, ids: list[int]) -> Q:
    through = getattr(CoursePage, through_field).through
    target = CoursePage._meta.get_field(through_field).m2m_reverse_name()
    return Q(pk__in=through.objects.filter(**{f"{target}__in": ids}).values("coursepage_id"))


def _facet_filters(request: SearchRequest, vocabulary: Vocabulary, today: date) -> dict[str, Q]:
    filters: dict[str, Q] = {}
    if request.professions:
        ids = vocabulary.ids(vocabulary.professions, request.professions)
        filters["beroep"] = _courses_with("professions", ids)
    if request.competencies:
        ids = vocabulary.ids(vocabulary.competencies, request.competencies)
        filters["competentie"] = _courses_with("competencies", ids)
    if request.registers or request.min_points:
        accredited = accreditation_api.course_accreditations_valid(
            on=today,
            register_ids=vocabulary.ids(vocabulary.registers, request.registers) or None,
            min_points=request.min_points,
        )
        filters["register"] = Q(pk__in=accredited.values("course_id"))
    if request.formats:
        filters["vorm"] = Q(format__in=request.formats)
    if request.price:
        filters["prijs"] = Q(price__lte=dict(PRICES)[request.price])
    if request.durations:
        filters["duur"] = _duration_filter(request.durations)
    if request.languages:
        filters["taal"] = Q(language__in=request.languages)
    if request.providers:
        filters["aanbieder"] = Q(provider_id__in=[int(pk) for pk in request.providers])
    if request.starts_from or request.starts_until:
        when = Q(format__in=[FORMATS.WEBINAR, FORMATS.CLASSROOM], starts_at__isnull=False)
        if request.starts_from:
            when &= Q(starts_at__date__gte=request.starts_from)
        if request.starts_until:
            when &= Q(starts_at__date__lte=request.starts_until)
        filters["wanneer"] = when
    if request.place is not None:
        filters["afstand"] = Q(format=FORMATS.CLASSROOM, distance2__lte=request.distance_km**2)
    return filters


def _duration_filter(values) -> Q:
    condition = Q()
    for value, _label, low, high in DURATIONS:
        if value in values:
            span = Q(duration_minutes__gte=low)
            if high is not None:
                span &= Q(duration_minutes__lte=high)
            condition |= span
    return condition


def _all_but(filters: dict[str, Q], facet: str) -> Q:
    condition = Q()
    for name, q in filters.items():
        if name != facet:
            condition &= q
    return condition


# --- Results -----------------------------------------------------------------------------


@dataclass
class SearchResults:
    request: SearchRequest
    courses: QuerySet
    count: int
    facets: list[Facet]
    upcoming_webinars: int
    text: TextMatch | None = None
    # A spelling of the search that finds more courses ("Did you mean …?").
    suggestion: str = ""
    # The results are the suggestion's: the search as typed found nothing.
    corrected: bool = False


def course_search(request: SearchRequest, *, learner: Learner, vocabulary: Vocabulary):
    """The matching courses (a lazy queryset, ordered) and the facets with their counts; for a
    search that finds few, a suggestion, and the suggestion's courses if it found none."""
    results = _search(request, learner, vocabulary)
    if not request.query or results.count >= FEW_RESULTS:
        return results
    suggestion = search_query_suggestion(query=request.query)
    if not suggestion or suggestion == request.query:
        return results
    suggested = _search(replace(request, query=suggestion), learner, vocabulary)
    if suggested.count <= results.count:
        return results
    if results.count:
        return replace(results, suggestion=suggestion)
    return replace(suggested, request=request, suggestion=suggestion, corrected=True)


def _search(request: SearchRequest, learner: Learner, vocabulary: Vocabulary) -> SearchResults:
    today = timezone.localdate()
    base = CoursePage.objects.live().public()
    text = None
    if request.query:
        text = course_text_match(query=request.query)
        base = base.filter(text.courses)
    if request.place is not None:
        base = base.annotate(distance2=distance_squared(request.place))
    filters = _facet_filters(request, vocabulary, today)
    facets, upcoming, count = search_facets(base, filters, request, vocabulary, today)
    courses = (
        base.filter(_all_but(filters, ""))
        .select_related("cover_image")
        .prefetch_related("cover_image__renditions")
    )
    courses = _ordered(courses, request, learner, vocabulary, text, today)
    return SearchResults(request, courses, count, facets, upcoming, text)


def _ordered(courses, request, learner, vocabulary, text: TextMatch | None, today):
    sort = request.effective_sort
    newest = ("-first_published_at", "-pk")
    if sort == "relevantie" and text is not None and text.rank is not None:
        return courses.annotate(rank=text.rank).order_by("-rank", *newest)
    if sort == "punten":
        register_ids = (
            vocabulary.ids(vocabulary.registers, request.registers) or learner.register_ids
        )
        most = accreditation_api.course_points_most(
            course_ref=OuterRef("pk"), on=today, register_ids=register_ids
        )
        return courses.annotate(most_points=most).order_by(
            F("most_points").desc(nulls_last=True), *newest
        )
    if sort == "duur":
        return courses.order_by("duration_minutes", *newest)
    if sort == "afstand":
        return courses.order_by("distance2", *newest)
    return courses.order_by(*newest)


def result_cards(courses, *, results: SearchResults, learner: Learner, http_request=None):
    """Cards for one page of results, with the episodes that match the search and distances."""
    courses = list(courses)
    notes, said = {}, {}
    if results.text:
        notes = _matching_episodes(courses, results.text)
        said = spoken_hits(
            query=results.text.query,
            course_paths={course.path: course.pk for course in courses},
            request=http_request,
        )
    cards = course_cards(courses, learner=learner, request=http_request, notes=notes, said=said)
    if results.request.place is None:
        return cards
    return [
        replace(card, distance_km=math.sqrt(course.distance2))
        if getattr(course, "distance2", None) is not None
        else card
        for card, course in zip(cards, courses, strict=True)
    ]


def _matching_episodes(courses: list[CoursePage], text: TextMatch) -> dict[int, str]:
    """Per course, the first live episode whose title matches the search, as a card note."""
    if not courses:
        return {}
    by_path = {course.path: course.pk for course in courses}
    episodes = episodes_of(by_path).live().order_by("path").values_list("course_path", "title")
    notes: dict[int, str] = {}
    for course_path, title in episodes:
        if by_path[course_path] not in notes and text.found_in(title):
            notes[by_path[course_path]] = _("Episode: %(title)s") % {"title": title}
    return notes
