"""What other apps may ask of the learning paths."""

from dataclasses import dataclass

from django.urls import reverse

from catalog import api as catalog_api
from catalog.api import Watchable
from playback import api as playback_api

from .curated import CuratedTile, curated_tiles
from .models import LearningPath, PathItem
from .play_all import PATH_PARAMETER as PATH_PARAMETER
from .play_all import path_id_from as path_id_from
from .play_all import url_in_path
from .selectors import path_access, path_play_order


def curated_paths_featured() -> list[CuratedTile]:
    """The editors' published learning paths to show on the home page, in their order."""
    return curated_tiles(featured_only=True)


def path_next_episode(*, user, path_id: int, episode_id: int, request=None) -> Watchable | None:
    """During "play all": the episode after this one in the path, if the learner may read it.
    Its URL keeps the learner in the path."""
    path = LearningPath.objects.filter(pk=path_id).first()
    if path is None or not path_access(user=user, path=path).read:
        return None
    order = path_play_order(path=path, user=user, request=request).episodes
    position = next((i for i, w in enumerate(order) if w.episode_id == episode_id), None)
    if position is None or position + 1 >= len(order):
        return None
    following = order[position + 1]
    return Watchable(
        following.course_id,
        following.episode_id,
        following.title,
        url_in_path(following.url, path.pk),
        following.minutes,
    )


def _path_page_url(path_id: int) -> str:
    return reverse("playlists:path", kwargs={"path_id": path_id})


@dataclass(frozen=True)
class PathNext:
    """What comes after a course in one of the learner's learning paths."""

    path_title: str
    path_url: str
    item: Watchable


def path_next_after_course(*, user_id: int, course_id: int, request=None) -> PathNext | None:
    """In the learner's own path that holds this course and was changed last, the first item
    after it that they have not completed; None when there is none."""
    holding = (
        PathItem.objects.filter(path__owner_id=user_id, course_id=course_id)
        .select_related("path")
        .order_by("-path__updated_at", "rank")
        .first()
    )
    if holding is None:
        return None
    completed = playback_api.course_ids_completed(user_id=user_id)
    after = list(
        PathItem.objects.filter(path_id=holding.path_id, rank__gt=holding.rank)
        .exclude(course_id__in=completed)
        .exclude(course_id=course_id)
        .order_by("rank")
        .values_list("course_id", "episode_id")[:10]
    )
    found = catalog_api.watchables_get(after, request=request)
    for pair in after:
        if pair in found:
            path = holding.path
            return PathNext(path.title, _path_page_url(path.pk), found[pair])
    return None


# The generated path of courses that count toward what a learner still needs in their registers.
ACCREDITATION_PATH_GENERATOR = "accreditatie-aanvullen"


def made_for_you_path_url(*, user_id: int, generator: str) -> str | None:
    """The page of a learner's generated path, or None while it is not made yet or empty."""
    path_id = (
        LearningPath.objects.filter(owner_id=user_id, generator=generator, items__isnull=False)
        .values_list("pk", flat=True)
        .first()
    )
    return _path_page_url(path_id) if path_id else None


__all__ = [
    "ACCREDITATION_PATH_GENERATOR",
    "CuratedTile",
    "PathNext",
    "curated_paths_featured",
    "made_for_you_path_url",
    "path_next_after_course",
    "path_next_episode",
]
