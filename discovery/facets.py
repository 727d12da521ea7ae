"""The search's facets: which there are, their options and labels, and their counts, which
``facet_counts`` works out in one query. Counts are disjunctive: a facet's counts apply every
other facet's filter but not its own."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation import api as accreditation_api
from catalog.models import CoursePage

from .facet_counts import Bucket, TagFacet, facet_counts
from .search_params import (
    DISTANCES_KM,
    DURATIONS,
    FORMATS,
    LANGUAGES,
    PRICES,
    SearchRequest,
    Vocabulary,
)

FACET_OPTIONS_SHOWN = 6


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list[FacetOption]
    multiple: bool = True

    @property
    def shown_options(self) -> list[FacetOption]:
        return [option for option in self.options if option.count or option.selected]

    @property
    def first_options(self) -> list[FacetOption]:
        """The options shown at once: the first few and every chosen one."""
        shown = self.shown_options
        return [o for i, o in enumerate(shown) if i < FACET_OPTIONS_SHOWN or o.selected]

    @property
    def more_options(self) -> list[FacetOption]:
        shown = self.shown_options
        return [o for i, o in enumerate(shown) if i >= FACET_OPTIONS_SHOWN and not o.selected]


def _facet(name, label, labels: dict, counts: dict, selected, multiple=True) -> Facet:
    options = [
        FacetOption(str(value), str(text), counts.get(value, 0), str(value) in selected)
        for value, text in labels.items()
    ]
    return Facet(name, str(label), options, multiple)


GROUPED_COLUMNS = {"vorm": "format", "taal": "language", "aanbieder": "provider_id"}


def search_facets(base: QuerySet, filters, request: SearchRequest, vocabulary, today):
    """The facets with their counts, and the number of upcoming webinars."""
    counts = facet_counts(
        base,
        {_column_facet(GROUPED_COLUMNS, name): q for name, q in filters.items()},
        grouped=list(GROUPED_COLUMNS.values()),
        tags=_tag_facets(request, today),
        buckets=_buckets(request),
    )
    facets = _tag_facets_shown(counts, request, vocabulary) + _other_facets_shown(
        counts, request, vocabulary
    )
    return facets, counts["wanneer"].get("komend", 0), counts[""].get("total", 0)


def _tag_facets(request: SearchRequest, today) -> list[TagFacet]:
    return [
        _tag_facet("beroep", "professions"),
        _tag_facet("competentie", "competencies"),
        TagFacet(
            "register",
            accreditation_api.course_accreditations_valid(on=today, min_points=request.min_points),
        ),
    ]


def _buckets(request: SearchRequest) -> list[Bucket]:
    """Ranges counted as conditions on the filtered courses: price, duration, distance, the
    total and the upcoming webinars."""
    ops = connection.ops
    buckets = [
        Bucket("prijs", value, "base.price <= %s", (ops.adapt_decimalfield_value(ceiling),))
        for value, ceiling in PRICES
    ]
    for value, _label, low, high in DURATIONS:
        condition = "base.duration_minutes >= %s" + (
            " AND base.duration_minutes <= %s" if high is not None else ""
        )
        buckets.append(Bucket("duur", value, condition, (low,) if high is None else (low, high)))
    if request.place is not None:
        buckets += [
            Bucket(
                "afstand",
                str(km),
                "base.format = %s AND base.distance2 <= %s",
                (FORMATS.CLASSROOM, km**2),
            )
            for km in DISTANCES_KM
        ]
    buckets.append(Bucket("", "total", "1 = 1"))  # every filter applies: the number of results
    buckets.append(
        Bucket(
            "wanneer",
            "komend",
            "base.format = %s AND base.starts_at >= %s",
            (FORMATS.WEBINAR, ops.adapt_datetimefield_value(timezone.now())),
        )
    )
    return buckets


def _tag_facets_shown(counts, request: SearchRequest, vocabulary) -> list[Facet]:
    """Facets on tags: their counts come keyed by id, their options by slug."""
    tagged = [
        ("beroep", _("Profession"), vocabulary.professions, request.professions),
        ("competentie", _("Competency (CanMEDS)"), vocabulary.competencies, request.competencies),
        ("register", _("Register"), vocabulary.registers, request.registers),
    ]
    return [
        _facet(name, label, vocabulary.names(terms), _by_slug(counts, name, terms), selected)
        for name, label, terms, selected in tagged
    ]


def _other_facets_shown(counts, request: SearchRequest, vocabulary) -> list[Facet]:
    prices = {
        value: _("Free") if not ceiling else _("Up to € %(amount)s") % {"amount": ceiling}
        for value, ceiling in PRICES
    }
    durations = {value: label for value, label, *_rest in DURATIONS}
    facets = [
        _facet("vorm", _("Format"), dict(FORMATS.choices), counts["format"], request.formats),
        _facet("prijs", _("Price"), prices, counts["prijs"], (request.price,), multiple=False),
        _facet("duur", _("Duration"), durations, counts["duur"], request.durations),
        _facet("taal", _("Language"), LANGUAGES, counts["language"], request.languages),
        _facet(
            "aanbieder",
            _("Provider"),
            vocabulary.providers,
            counts["provider_id"],
            request.providers,
        ),
    ]
    if request.place is not None:
        distances = {str(km): _("Within %(km)s km") % {"km": km} for km in DISTANCES_KM}
        facets.append(
            _facet(
                "afstand",
                _("Distance"),
                distances,
                counts["afstand"],
                (str(request.distance_km),),
                multiple=False,
            )
        )
    return facets


def _by_slug(counts, facet: str, terms: dict[str, tuple[int, str]]) -> dict[str, int]:
    slugs = Vocabulary.slugs_by_id(terms)
    return {slugs[key]: n for key, n in counts.get(facet, {}).items() if key in slugs}


def _column_facet(grouped: dict[str, str], name: str) -> str:
    """Facets counted per column value are known by the column's name."""
    return grouped.get(name, name)


def _tag_facet(name: str, through_field: str) -> TagFacet:
    field = CoursePage._meta.get_field(through_field)
    pairs = field.remote_field.through.objects.values_list(
        "coursepage_id", f"{field.m2m_reverse_name()}"
    )
    return TagFacet(name, pairs, unique_pairs=True)  # a many-to-many table: unique pairs
