"""The rows of the learner's home page.

Each row is data: a slug, a title and a function that picks its courses for a learner. The home
page renders the first rows at once and lets the browser fetch the others as they scroll into
view (``discovery:row``)."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accreditation import api as accreditation_api
from catalog.models import Competency, CoursePage, EpisodePage, FeaturedCollection
from playback import api as playback_api

from .cards import CourseCard, course_card_queryset, course_cards, course_cards_for_ids
from .learners import Learner

ROW_LENGTH = 12
POPULAR_DAYS = 30
EXPIRING_DAYS = 60
COMFORT_ZONE_COMPETENCIES = 2
COMFORT_ZONE_CANDIDATES = 120


@dataclass(frozen=True)
class RowContent:
    slug: str
    title: str
    cards: list[CourseCard]
    intro: str = ""
    more_url: str = ""
    removable: bool = False


@dataclass(frozen=True)
class RowContext:
    learner: Learner
    request: object

    def cards(self, ids: list[int], **options) -> list[CourseCard]:
        return course_cards_for_ids(ids, learner=self.learner, request=self.request, **options)


@dataclass(frozen=True)
class Row:
    slug: str
    title: object
    build: Callable[[RowContext, "Row"], RowContent | None]
    eager: bool = False
    for_learners: bool = False


def _search_url(**params) -> str:
    return f"{reverse('discovery:search')}?{urlencode(params)}"


def continue_watching(context: RowContext, row: Row) -> RowContent | None:
    points = playback_api.resume_points(user_id=context.learner.user_id, limit=ROW_LENGTH)
    if not points:
        return None
    episodes = {
        episode.pk: episode
        for episode in EpisodePage.objects.filter(pk__in=[p.episode_id for p in points]).only(
            "pk", "title", "url_path", "path", "depth"
        )
    }
    resume_urls, notes = {}, {}
    for point in points:
        episode = episodes.get(point.episode_id)
        if episode is not None:
            resume_urls[point.course_id] = (
                f"{episode.get_url(context.request)}?t={int(point.position)}"
            )
            notes[point.course_id] = episode.title
    cards = context.cards(
        [p.course_id for p in points],
        progress={p.course_id: p.fraction for p in points},
        resume_urls=resume_urls,
        notes=notes,
    )
    return RowContent(row.slug, str(row.title), cards, removable=True)


def newest(context: RowContext, row: Row) -> RowContent | None:
    courses = course_card_queryset().order_by("-first_published_at", "-pk")[:ROW_LENGTH]
    cards = course_cards(courses, learner=context.learner, request=context.request)
    return RowContent(row.slug, str(row.title), cards, more_url=_search_url(sorteer="nieuwste"))


def for_your_profession(context: RowContext, row: Row) -> RowContent | None:
    if context.learner.profession_id is None:
        return None
    courses = (
        course_card_queryset()
        .filter(professions=context.learner.profession_id)
        .exclude(pk__in=playback_api.course_ids_watched(user_id=context.learner.user_id))
        .order_by("-first_published_at", "-pk")[:ROW_LENGTH]
    )
    cards = course_cards(courses, learner=context.learner, request=context.request)
    title = _("For you as %(profession)s") % {"profession": context.learner.profession_name}
    return RowContent(row.slug, title, cards)


def beyond_comfort_zone(context: RowContext, row: Row) -> RowContent | None:
    learner = context.learner
    picked = comfort_zone_courses(
        user_id=learner.user_id, profession_id=learner.profession_id, limit=ROW_LENGTH
    )
    if picked is None:
        return None
    names = ", ".join(competency.display_name for competency in picked.competencies)
    intro = _("Roles you have explored least: %(names)s.") % {"names": names}
    return RowContent(row.slug, str(row.title), context.cards(picked.course_ids), intro=intro)


@dataclass(frozen=True)
class ComfortZonePick:
    competencies: list
    course_ids: list[int]


def comfort_zone_courses(
    *, user_id: int, profession_id: int | None, limit: int
) -> ComfortZonePick | None:
    """Courses in the competencies the learner has watched least, unfamiliar topics first and
    newest next; without history, the competencies their profession's courses cover least."""
    watched = set(playback_api.course_ids_watched(user_id=user_id))
    competencies = _competencies_explored_least(watched, profession_id)
    if not competencies:
        return None
    candidates = list(
        course_card_queryset()
        .filter(competencies__in=competencies)
        .exclude(pk__in=watched)
        .order_by("-first_published_at", "-pk")
        .values_list("pk", flat=True)[:COMFORT_ZONE_CANDIDATES]
    )
    candidates = list(dict.fromkeys(candidates))  # a course can hold both competencies
    watched_topics = set(
        CoursePage.topics.through.objects.filter(coursepage_id__in=watched).values_list(
            "topic_id", flat=True
        )
    )
    familiar: dict[int, int] = dict.fromkeys(candidates, 0)
    for course_id, topic_id in CoursePage.topics.through.objects.filter(
        coursepage_id__in=candidates
    ).values_list("coursepage_id", "topic_id"):
        familiar[course_id] += topic_id in watched_topics
    ranked = sorted(candidates, key=lambda pk: familiar[pk])[:limit]  # stable: newest first
    return ComfortZonePick(competencies, ranked)


def _competencies_explored_least(watched: list[int], profession_id: int | None):
    through = CoursePage.competencies.through.objects
    watched_counts = dict(
        through.filter(coursepage_id__in=watched)
        .values("competency_id")
        .annotate(n=Count("coursepage_id"))
        .values_list("competency_id", "n")
    )
    usual_counts = (
        dict(
            through.filter(coursepage__professions=profession_id)
            .values("competency_id")
            .annotate(n=Count("coursepage_id"))
            .values_list("competency_id", "n")
        )
        if profession_id
        else {}
    )
    competencies = list(Competency.objects.all())
    competencies.sort(key=lambda c: (watched_counts.get(c.pk, 0), usual_counts.get(c.pk, 0)))
    return competencies[:COMFORT_ZONE_COMPETENCIES]


def popular_with_colleagues(context: RowContext, row: Row) -> RowContent | None:
    if context.learner.profession_id is None:
        return None
    ids = playback_api.course_ids_popular(
        since=timezone.now() - timedelta(days=POPULAR_DAYS),
        user_ids=accreditation_api.learner_ids_with_profession(
            profession_id=context.learner.profession_id
        ),
        limit=ROW_LENGTH,
    )
    intro = _("Most watched by %(profession)s in the last %(days)s days.") % {
        "profession": context.learner.profession_name,
        "days": POPULAR_DAYS,
    }
    return RowContent(row.slug, str(row.title), context.cards(ids), intro=intro)


def accreditation_ending(context: RowContext, row: Row) -> RowContent | None:
    today = timezone.localdate()
    ids = accreditation_api.course_ids_expiring(
        on=today,
        until=today + timedelta(days=EXPIRING_DAYS),
        register_ids=context.learner.register_ids,
        limit=ROW_LENGTH,
    )
    ends = accreditation_api.course_points(
        course_ids=ids, on=today, register_ids=context.learner.register_ids
    )
    notes = {
        course_id: _("Accredited until %(date)s")
        % {"date": date_format(min(p.valid_until for p in points), "j b")}
        for course_id, points in ends.items()
    }
    return RowContent(row.slug, str(row.title), context.cards(ids, notes=notes))


def competency_row(competency: Competency) -> Row:
    def build(context: RowContext, row: Row) -> RowContent | None:
        courses = (
            course_card_queryset()
            .filter(competencies=competency)
            .order_by("-first_published_at", "-pk")[:ROW_LENGTH]
        )
        cards = course_cards(courses, learner=context.learner, request=context.request)
        return RowContent(
            row.slug,
            competency.display_name,
            cards,
            intro=competency.display_description,
            more_url=_search_url(competentie=competency.slug),
        )

    return Row(f"competentie-{competency.slug}", competency.display_name, build)


ROWS = [
    Row("verder-kijken", gettext_lazy("Continue watching"), continue_watching, True, True),
    Row("nieuw", gettext_lazy("New"), newest, eager=True),
    Row("voor-jouw-beroep", gettext_lazy("For your profession"), for_your_profession, False, True),
    Row("buiten-je-comfortzone", gettext_lazy("Beyond your comfort zone"), beyond_comfort_zone),
    Row("populair", gettext_lazy("Popular with colleagues"), popular_with_colleagues, False, True),
    Row(
        "accreditatie-verloopt",
        gettext_lazy("Accreditation ending soon"),
        accreditation_ending,
    ),
]


def _rows_for(learner: Learner) -> list[Row]:
    return [row for row in ROWS if learner.is_signed_in or not row.for_learners]


def row_find(slug: str, learner: Learner) -> Row | None:
    if slug.startswith("competentie-"):
        competency = Competency.objects.filter(slug=slug.removeprefix("competentie-")).first()
        return competency_row(competency) if competency else None
    return next((row for row in _rows_for(learner) if row.slug == slug), None)


def row_build(row: Row, context: RowContext) -> RowContent | None:
    """A row's content, or None when it has no courses for this learner."""
    content = row.build(context, row)
    return content if content and content.cards else None


def featured_rows(context: RowContext) -> list[RowContent]:
    """One row per featured collection showing today, courses in the editors' order."""
    collections = list(FeaturedCollection.objects.showing().prefetch_related("items"))
    ids = list(dict.fromkeys(item.course_id for c in collections for item in c.items.all()))
    cards = {card.id: card for card in context.cards(ids)}
    rows = []
    for collection in collections:
        pitches = {item.course_id: item.pitch for item in collection.items.all()}
        items = [
            replace(cards[course_id], note=pitches[course_id] or cards[course_id].note)
            for course_id in dict.fromkeys(item.course_id for item in collection.items.all())
            if course_id in cards
        ]
        if items:
            slug = f"uitgelicht-{collection.pk}"
            rows.append(
                RowContent(slug, collection.display_title, items, intro=collection.display_intro)
            )
    return rows


@dataclass(frozen=True)
class HomeRows:
    hero: CourseCard | None
    rows: list[RowContent]
    lazy_rows: list[Row]


def home_rows(*, learner: Learner, request) -> HomeRows:
    """The hero and the rows shown at once; the other rows load as the learner scrolls."""
    context = RowContext(learner=learner, request=request)
    rows = _rows_for(learner)
    eager = [row for row in rows if row.eager]
    built = {row.slug: row_build(row, context) for row in eager}
    featured = featured_rows(context)
    shown = [built["verder-kijken"]] if built.get("verder-kijken") else []
    shown += featured
    shown += [content for slug, content in built.items() if slug != "verder-kijken" and content]
    hero_source = featured or [
        content for content in built.values() if content and not content.removable
    ]
    hero = hero_source[0].cards[0] if hero_source else None
    lazy = [row for row in rows if not row.eager]
    lazy += [competency_row(competency) for competency in Competency.objects.all()]
    return HomeRows(hero=hero, rows=shown, lazy_rows=lazy)
