"""Reads of learning paths, and who may read or change which."""

from dataclasses import dataclass

from django.db.models import Count, Max
from django.http import Http404

from catalog import api as catalog_api

from .models import LearningPath, PathItem


def path_for_owner(*, user, path_id: int) -> LearningPath:
    """The path if this user owns it; otherwise it does not exist for them."""
    path = LearningPath.objects.filter(pk=path_id, owner_id=user.pk).first()
    if path is None:
        raise Http404
    return path


def path_for_reader(*, user, path_id: int) -> LearningPath:
    """The path if this user may see it: their own, or one its owner made public."""
    path = LearningPath.objects.filter(pk=path_id).first()
    if path is None:
        raise Http404
    if path.owner_id == user.pk or path.visibility == LearningPath.Visibility.PUBLIC:
        return path
    raise Http404


@dataclass(frozen=True)
class PathSummary:
    id: int
    title: str
    item_count: int
    cover_urls: tuple[str, ...]
    visibility_label: str


def path_summaries(*, user, request) -> list[PathSummary]:
    """The learner's own paths, most recently changed first, each with up to four covers."""
    paths = list(
        LearningPath.objects.filter(owner_id=user.pk)
        .annotate(item_count=Count("items"), last_added=Max("items__added_at"))
        .order_by("-updated_at", "-pk")
    )
    firsts = {}
    for path_id, course_id in (
        PathItem.objects.filter(path__in=paths)
        .order_by("path_id", "rank")
        .values_list("path_id", "course_id")
    ):
        courses = firsts.setdefault(path_id, [])
        if len(courses) < 4 and course_id not in courses:
            courses.append(course_id)
    cards = {
        card.id: card
        for card in catalog_api.course_cards_for_ids(
            list({c for courses in firsts.values() for c in courses}), request=request
        )
    }
    return [
        PathSummary(
            id=path.pk,
            title=path.title,
            item_count=path.item_count,
            cover_urls=tuple(
                cards[c].cover_url
                for c in firsts.get(path.pk, [])
                if c in cards and cards[c].cover_url
            ),
            visibility_label=path.get_visibility_display(),
        )
        for path in paths
    ]


@dataclass(frozen=True)
class PathEntry:
    id: int
    title: str
    url: str
    course_title: str
    card: object  # the course's catalog card
    is_episode: bool


def path_entries(*, path: LearningPath, request) -> tuple[list[PathEntry], int]:
    """The path's items that are still in the catalog, in order, and how many are not."""
    items = list(path.items.order_by("rank").values_list("pk", "course_id", "episode_id"))
    live = catalog_api.watchables_get(((c, e) for _pk, c, e in items), request=request)
    cards = {
        card.id: card
        for card in catalog_api.course_cards_for_ids(
            list(dict.fromkeys(c for _pk, c, _e in items)), request=request
        )
    }
    entries = []
    for pk, course_id, episode_id in items:
        found = live.get((course_id, episode_id))
        card = cards.get(course_id)
        if found is None or card is None:
            continue
        entries.append(
            PathEntry(pk, found.title, found.url, card.title, card, episode_id is not None)
        )
    return entries, len(items) - len(entries)


def path_choices(*, user, course_id: int, episode_id: int | None) -> list[tuple[int, str, bool]]:
    """The learner's paths for the "+" menu: (id, title, already holds this item)."""
    holding = set(
        PathItem.objects.filter(
            path__owner_id=user.pk, course_id=course_id, episode_id=episode_id
        ).values_list("path_id", flat=True)
    )
    return [
        (pk, title, pk in holding)
        for pk, title in LearningPath.objects.filter(owner_id=user.pk)
        .order_by("-updated_at", "-pk")
        .values_list("pk", "title")
    ]
