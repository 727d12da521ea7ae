"""What a catalog search asks for, read from the URL: the ``SearchRequest`` (so a search can
be shared), the values its filters may take, and the filters in use, each removable.

Unknown or malformed values are ignored with a note in the learner's language."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accreditation.api import register_list
from catalog.models import Competency, CoursePage, Profession, Provider

from .places import PLACES_BY_SLUG, Place

if TYPE_CHECKING:
    from .search import Facet

QUERY_MAX_LENGTH = 200
VALUE_SHOWN_MAX = 40
MAX_POINTS = Decimal(1000)

FORMATS = CoursePage.Format
LANGUAGES = dict(CoursePage.LANGUAGES)
# (value, label, lowest minutes, highest minutes)
DURATIONS = [
    ("kort", gettext_lazy("Up to 30 minutes"), 0, 30),
    ("middel", gettext_lazy("30 minutes to 2 hours"), 31, 120),
    ("lang", gettext_lazy("Longer than 2 hours"), 121, None),
]
PRICES = [("gratis", Decimal(0)), ("25", Decimal(25)), ("50", Decimal(50)), ("100", Decimal(100))]
DISTANCES_KM = [10, 25, 50, 100]
SORTS = {
    "relevantie": gettext_lazy("Relevance"),
    "nieuwste": gettext_lazy("Newest"),
    "punten": gettext_lazy("Most points"),
    "duur": gettext_lazy("Shortest"),
    "afstand": gettext_lazy("Nearest"),
}


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    professions: tuple[str, ...] = ()
    competencies: tuple[str, ...] = ()
    registers: tuple[str, ...] = ()
    min_points: Decimal | None = None
    formats: tuple[str, ...] = ()
    price: str = ""
    durations: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    starts_from: date | None = None
    starts_until: date | None = None
    place: Place | None = None
    distance_km: int | None = None
    sort: str = ""

    @property
    def effective_sort(self) -> str:
        if self.sort == "afstand" and self.place is None:
            return "nieuwste"
        if self.sort:
            return self.sort
        return "relevantie" if self.query else "nieuwste"


@dataclass(frozen=True)
class Vocabulary:
    """The values filters may take that live in the database, with their labels."""

    # slug → (id, name), in display order
    professions: dict[str, tuple[int, str]]
    competencies: dict[str, tuple[int, str]]
    registers: dict[str, tuple[int, str]]
    # id (as text) → name
    providers: dict[str, str]

    @classmethod
    def load(cls) -> "Vocabulary":
        return cls(
            professions={p.slug: (p.id, p.display_name) for p in Profession.objects.all()},
            competencies={c.slug: (c.id, c.display_name) for c in Competency.objects.all()},
            registers={r.slug: (r.id, r.short_name) for r in register_list()},
            providers={str(p.pk): p.name for p in Provider.objects.order_by("name")},
        )

    @staticmethod
    def ids(terms: dict[str, tuple[int, str]], slugs) -> list[int]:
        return [terms[slug][0] for slug in slugs]

    @staticmethod
    def names(terms: dict[str, tuple[int, str]]) -> dict[str, str]:
        return {slug: name for slug, (_id, name) in terms.items()}

    @staticmethod
    def slugs_by_id(terms: dict[str, tuple[int, str]]) -> dict[str, str]:
        return {str(term_id): slug for slug, (term_id, _name) in terms.items()}


# --- Reading the URL --------------------------------------------------------------------


def _shown(value: str) -> str:
    return value if len(value) <= VALUE_SHOWN_MAX else value[:VALUE_SHOWN_MAX] + "…"


def search_request_parse(params: QueryDict, vocabulary: Vocabulary) -> tuple[SearchRequest, list]:
    """A search from URL parameters, and notes on what was ignored or changed."""
    notes: list[str] = []

    def ignored(label, value) -> None:
        notes.append(
            _("Ignored an unknown value for “%(filter)s”: “%(value)s”.")
            % {"filter": label, "value": _shown(value)}
        )

    def choices(name: str, allowed, label) -> tuple[str, ...]:
        chosen = []
        for value in params.getlist(name):
            if value in allowed:
                if value not in chosen:
                    chosen.append(value)
            elif value:
                ignored(label, value)
        return tuple(chosen)

    def one(name: str, allowed, label) -> str:
        values = choices(name, allowed, label)
        return values[-1] if values else ""

    def day(name: str, label) -> date | None:
        value = params.get(name, "").strip()
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            notes.append(
                _("“%(value)s” is not a date for “%(filter)s”; use the form 2026-03-31.")
                % {"value": _shown(value), "filter": label}
            )
            return None

    query = "".join(ch for ch in params.get("q", "") if ch.isprintable()).strip()
    if len(query) > QUERY_MAX_LENGTH:
        query = query[:QUERY_MAX_LENGTH].strip()
        notes.append(
            _("Your search was shortened to %(count)s characters.") % {"count": QUERY_MAX_LENGTH}
        )

    min_points = None
    raw_points = params.get("punten", "").strip().replace(",", ".")
    if raw_points:
        try:
            min_points = Decimal(raw_points)
            if not min_points.is_finite() or not 0 < min_points <= MAX_POINTS:
                raise InvalidOperation
        except InvalidOperation:
            min_points = None
            notes.append(
                _("“%(value)s” is not a number of points between 0 and %(max)s.")
                % {"value": _shown(raw_points), "max": MAX_POINTS}
            )

    starts_from, starts_until = day("vanaf", _("from")), day("tot", _("until"))
    if starts_from and starts_until and starts_until < starts_from:
        notes.append(_("The end date came before the start date, so it was ignored."))
        starts_until = None

    place = PLACES_BY_SLUG.get(params.get("plaats", ""))
    if params.get("plaats") and place is None:
        ignored(_("place"), params["plaats"])
    distance = one("afstand", {str(km) for km in DISTANCES_KM}, _("distance"))
    if place is None:
        distance = ""  # a distance alone (the form always sends one) means nothing
    elif not distance:
        distance = str(DISTANCES_KM[1])

    request = SearchRequest(
        query=query,
        professions=choices("beroep", vocabulary.professions, _("profession")),
        competencies=choices("competentie", vocabulary.competencies, _("competency")),
        registers=choices("register", vocabulary.registers, _("register")),
        min_points=min_points,
        formats=choices("vorm", FORMATS.values, _("format")),
        price=one("prijs", dict(PRICES), _("price")),
        durations=choices("duur", {value for value, *_rest in DURATIONS}, _("duration")),
        languages=choices("taal", LANGUAGES, _("language")),
        providers=choices("aanbieder", vocabulary.providers, _("provider")),
        starts_from=starts_from,
        starts_until=starts_until,
        place=place,
        distance_km=int(distance) if distance else None,
        sort=one("sorteer", SORTS, _("sort order")),
    )
    return request, notes


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    remove_url: str


def active_filters(params: QueryDict, facets: "list[Facet]", request: SearchRequest):
    """The filters in use, each with the URL of the same search without it."""

    def without(name: str, value: str | None = None) -> str:
        remaining = params.copy()
        remaining.pop("pagina", None)
        if value is None:
            remaining.pop(name, None)
        else:
            remaining.setlist(name, [v for v in remaining.getlist(name) if v != value])
        return "?" + remaining.urlencode()

    chips = [
        ActiveFilter(f"{facet.label}: {option.label}", without(facet.name, option.value))
        for facet in facets
        if facet.name != "afstand"
        for option in facet.options
        if option.selected
    ]
    if request.min_points:
        label = _("At least %(points)s points") % {"points": request.min_points}
        chips.append(ActiveFilter(label, without("punten")))
    if request.starts_from:
        label = _("From %(date)s") % {"date": request.starts_from.strftime("%d-%m-%Y")}
        chips.append(ActiveFilter(label, without("vanaf")))
    if request.starts_until:
        label = _("Until %(date)s") % {"date": request.starts_until.strftime("%d-%m-%Y")}
        chips.append(ActiveFilter(label, without("tot")))
    if request.place is not None:
        label = _("Within %(km)s km of %(place)s") % {
            "km": request.distance_km,
            "place": request.place.name,
        }
        remaining = params.copy()
        for name in ("plaats", "afstand", "pagina"):
            remaining.pop(name, None)
        chips.append(ActiveFilter(label, "?" + remaining.urlencode()))
    return chips
