"""Reads and writes of the editors' curated learning paths."""

from dataclasses import dataclass

from django.db import transaction
from django.http import Http404

from catalog import api as catalog_api
from discovery import api as discovery_api

from .covers import path_mosaic_refresh_later
from .models import CuratedPath, CuratedPathFollow, LearningPath, PathItem
from .services import RANK_GAP


def curated_live(slug: str) -> CuratedPath:
    curated = CuratedPath.objects.filter(slug=slug, live=True).first()
    if curated is None:
        raise Http404
    return curated


def _pairs(curated: CuratedPath) -> list[list[tuple[int, int | None]]]:
    """Per section, its items as (course id, episode id or None), from the chosen pages."""
    chosen = [page.id for block in curated.sections for page in block.value["items"] if page]
    parents = catalog_api.episode_courses(chosen)
    sections = []
    for block in curated.sections:
        items = []
        for page in block.value["items"]:
            if page is None:
                continue
            items.append((parents[page.id], page.id) if page.id in parents else (page.id, None))
        sections.append(items)
    return sections


@dataclass(frozen=True)
class CuratedSection:
    title: str
    intro: str
    entries: list  # (Watchable, course card)


def curated_sections(curated: CuratedPath, *, request) -> list[CuratedSection]:
    """The sections with what is still live of their items, in order."""
    pairs = _pairs(curated)
    live = catalog_api.watchables_get([p for section in pairs for p in section], request=request)
    cards = {
        card.id: card
        for card in discovery_api.course_cards_for_ids(
            list(dict.fromkeys(c for section in pairs for c, _e in section)), request=request
        )
    }
    return [
        CuratedSection(
            block.value["title"],
            block.value["intro"],
            [(live[p], cards[p[0]]) for p in section if p in live and p[0] in cards],
        )
        for block, section in zip(curated.sections, pairs, strict=True)
    ]


def curated_follow(*, curated: CuratedPath, user) -> None:
    CuratedPathFollow.objects.get_or_create(curated_path=curated, user=user)


def curated_unfollow(*, curated: CuratedPath, user) -> None:
    CuratedPathFollow.objects.filter(curated_path=curated, user=user).delete()


@transaction.atomic
def curated_copy(*, curated: CuratedPath, owner) -> LearningPath:
    """The curated path as a path of the learner's own, its sections one after another."""
    copy = LearningPath.objects.create(
        owner=owner, title=curated.title[:120], description=curated.intro[:1000]
    )
    seen, items = set(), []
    for section in _pairs(curated):
        for course_id, episode_id in section:
            if (course_id, episode_id) in seen:
                continue
            seen.add((course_id, episode_id))
            items.append(
                PathItem(
                    path=copy,
                    course_id=course_id,
                    episode_id=episode_id,
                    rank=(len(items) + 1) * RANK_GAP,
                    added_by=owner,
                )
            )
    PathItem.objects.bulk_create(items)
    path_mosaic_refresh_later(copy)
    return copy


FEATURED_MAX = 8


@dataclass(frozen=True)
class CuratedTile:
    title: str
    url: str
    intro: str
    cover_url: str | None
    item_count: int


def curated_tiles(*, featured_only: bool, user_id: int | None = None) -> list[CuratedTile]:
    """Published curated paths as tiles: the featured ones, or the ones a learner follows."""
    from django.urls import reverse

    paths = (
        CuratedPath.objects.filter(live=True)
        .select_related("cover_image")
        .prefetch_related("cover_image__renditions")
    )
    if featured_only:
        paths = paths.filter(featured=True)
    if user_id is not None:
        paths = paths.filter(follows__user_id=user_id)
    tiles = []
    paths = paths.order_by("sort_order", "title")
    for curated in paths[:FEATURED_MAX] if featured_only else paths:
        cover = (
            catalog_api.rendition_url(curated.cover_image, catalog_api.COVER_SPEC)
            if curated.cover_image
            else None
        )
        tiles.append(
            CuratedTile(
                curated.title,
                reverse("playlists:curated", args=[curated.slug]),
                curated.intro,
                cover,
                # From the stored ids, so counting fetches no pages.
                sum(len(block["value"]["items"]) for block in curated.sections.raw_data),
            )
        )
    return tiles
