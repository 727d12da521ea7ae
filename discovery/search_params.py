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
    from .facets import Facet

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
            registers={r.slug: (r.id, r.display_short_name) for r in register_list()},
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
    read = _ParameterReader(params)
    starts_from, starts_until = read.period()
    place, distance_km = read.place_and_distance()
    request = SearchRequest(
        query=read.query(),
        professions=read.choices("beroep", vocabulary.professions, _("profession")),
        competencies=read.choices("competentie", vocabulary.competencies, _("competency")),
        registers=read.choices("register", vocabulary.registers, _("register")),
        min_points=read.min_points(),
        formats=read.choices("vorm", FORMATS.values, _("format")),
        price=read.one("prijs", dict(PRICES), _("price")),
        durations=read.choices("duur", {value for value, *_rest in DURATIONS}, _("duration")),
        languages=read.choices("taal", LANGUAGES, _("language")),
        providers=read.choices("aanbieder", vocabulary.providers, _("provider")),
        starts_from=starts_from,
        starts_until=starts_until,
        place=place,
        distance_km=distance_km,
        sort=read.one("sorteer", SORTS, _("sort order")),
    )
    return request, read.notes


class _ParameterReader:
    """Reads a search's URL parameters, noting in Dutch what it ignored or changed."""

    def __init__(self, params: QueryDict):
        self.params = params
        self.notes: list[str] = []

    def ignored(self, label, value) -> None:
        self.notes.append(
            _("Ignored an unknown value for “%(filter)s”: “%(value)s”.")
            % {"filter": label, "value": _shown(value)}
        )

    def choices(self, name: str, allowed, label) -> tuple[str, ...]:
        chosen = []
        for value in self.params.getlist(name):
            if value in allowed:
                if value not in chosen:
                    chosen.append(value)
            elif value:
                self.ignored(label, value)
        return tuple(chosen)

    def one(self, name: str, allowed, label) -> str:
        values = self.choices(name, allowed, label)
        return values[-1] if values else ""

    def day(self, name: str, label) -> date | None:
        value = self.params.get(name, "").strip()
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.notes.append(
                _("“%(value)s” is not a date for “%(filter)s”; use the form 2026-03-31.")
                % {"value": _shown(value), "filter": label}
            )
            return None

    def query(self) -> str:
        query = "".join(ch for ch in self.params.get("q", "") if ch.isprintable()).strip()
        if len(query) > QUERY_MAX_LENGTH:
            query = query[:QUERY_MAX_LENGTH].strip()
            self.notes.append(
                _("Your search was shortened to %(count)s characters.")
                % {"count": QUERY_MAX_LENGTH}
            )
        return query

    def min_points(self) -> Decimal | None:
        raw = self.params.get("punten", "").strip().replace(",", ".")
        if not raw:
            return None
        try:
            points = Decimal(raw)
            if points.is_finite() and 0 < points <= MAX_POINTS:
                return points
        except InvalidOperation:
            pass
        self.notes.append(
            _("“%(value)s” is not a number of points between 0 and %(max)s.")
            % {"value": _shown(raw), "max": MAX_POINTS}
        )
        return None

    def period(self) -> tuple[date | None, date | None]:
        starts_from, starts_until = self.day("vanaf", _("from")), self.day("tot", _("until"))
        if starts_from and starts_until and starts_until < starts_from:
            self.notes.append(_("The end date came before the start date, so it was ignored."))
            starts_until = None
        return starts_from, starts_until

    def place_and_distance(self) -> tuple[Place | None, int | None]:
        place = PLACES_BY_SLUG.get(self.params.get("plaats", ""))
        if self.params.get("plaats") and place is None:
            self.ignored(_("place"), self.params["plaats"])
        distance = self.one("afstand", {str(km) for km in DISTANCES_KM}, _("distance"))
        if place is None:
            return None, None  # a distance alone (the form always sends one) means nothing
        return place, int(distance) if distance else DISTANCES_KM[1]


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
