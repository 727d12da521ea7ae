"""Reads of learning paths, and who may read or change which."""

import secrets
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404

from catalog import api as catalog_api
from discovery import api as discovery_api
from playback import api as playback_api

from .models import LearningPath, PathCollaborator, PathFollow, PathInvite, PathItem, PathPlay


@dataclass(frozen=True)
class Access:
    """What one user may do with one path."""

    own: bool = False
    write: bool = False  # add, remove and reorder items: the owner and collaborators
    read: bool = False
    follows: bool = False


def path_access(*, user, path: LearningPath, token: str | None = None) -> Access:
    """Private paths exist only for their owner and collaborators; a path shared by link also
    for whoever has the link or follows it; a public path for every learner."""
    if not user.is_authenticated:
        return Access()
    own = path.owner_id == user.pk
    if path.generator:  # made by Leerstroom for its owner, who copies it to change it
        return Access(own=False, write=False, read=own, follows=False)
    collaborates = own or PathCollaborator.objects.filter(path=path, user_id=user.pk).exists()
    follows = PathFollow.objects.filter(path=path, user_id=user.pk).exists()
    shared = path.visibility == LearningPath.Visibility.PUBLIC or (
        path.visibility == LearningPath.Visibility.LINK
        and (follows or (token is not None and secrets.compare_digest(token, path.share_token)))
    )
    return Access(own=own, write=collaborates, read=collaborates or shared, follows=follows)


def path_for(*, user, path_id: int, need: str, token: str | None = None):
    """The path and the user's access to it, if they may ``need`` ("read", "write", "own");
    otherwise it does not exist for them."""
    path = LearningPath.objects.select_related("owner").filter(pk=path_id).first()
    if path is None:
        raise Http404
    access = path_access(user=user, path=path, token=token)
    if not getattr(access, need):
        raise Http404
    return path, access


def path_by_share_token(token: str) -> LearningPath:
    path = (
        LearningPath.objects.select_related("owner")
        .exclude(visibility=LearningPath.Visibility.PRIVATE)
        .filter(share_token=token)
        .first()
    )
    if path is None:
        raise Http404
    return path


@dataclass(frozen=True)
class PathSummary:
    id: int
    title: str
    item_count: int
    cover_urls: tuple[str, ...]
    visibility_label: str
    image_url: str = ""  # the uploaded cover or the drawn mosaic


@dataclass(frozen=True)
class Library:
    own: list[PathSummary]
    together: list[PathSummary]
    followed: list[PathSummary]
    made_for_you: list[PathSummary]


LIBRARY_SORTS = {
    "gewijzigd": ("-updated_at", "-pk"),
    "afgespeeld": (F("played_at").desc(nulls_last=True), "-updated_at", "-pk"),
    "titel": ("title", "pk"),
}


def library_get(*, user, request, sort: str = "gewijzigd") -> Library:
    """The learner's own paths, the ones they work on with colleagues, the ones made for them
    and the ones they follow (while still shared), sorted by ``sort`` (``LIBRARY_SORTS``)."""
    played = PathPlay.objects.filter(path=OuterRef("pk"), user_id=user.pk).values("played_at")
    paths = list(
        LearningPath.objects.filter(
            Q(owner_id=user.pk)
            | Q(collaborators__user_id=user.pk)
            | (Q(follows__user_id=user.pk) & ~Q(visibility=LearningPath.Visibility.PRIVATE))
        )
        .distinct()
        .annotate(item_count=Count("items", distinct=True), played_at=Subquery(played[:1]))
        .order_by(*LIBRARY_SORTS.get(sort, LIBRARY_SORTS["gewijzigd"]))
    )
    together = set(
        PathCollaborator.objects.filter(user_id=user.pk).values_list("path_id", flat=True)
    )
    summaries = _summaries(paths, request)
    return Library(
        own=[
            s
            for p, s in zip(paths, summaries, strict=True)
            if p.owner_id == user.pk and not p.generator
        ],
        made_for_you=[
            s for p, s in zip(paths, summaries, strict=True) if p.generator and s.item_count
        ],
        together=[s for p, s in zip(paths, summaries, strict=True) if p.pk in together],
        followed=[
            s
            for p, s in zip(paths, summaries, strict=True)
            if p.owner_id != user.pk and p.pk not in together
        ],
    )


def _summaries(paths: list[LearningPath], request) -> list[PathSummary]:
    """Each path with up to four covers of its first courses, in a fixed number of queries."""
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
        for card in discovery_api.course_cards_for_ids(
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
            image_url=path.cover_url,
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
    minutes: int
    done: bool


@dataclass(frozen=True)
class PathProgress:
    done: int
    total: int
    minutes_left: int
    points: list[tuple[str, object]]  # (register, points) the path's courses earn, per register

    @property
    def percent(self) -> int:
        return round(self.done / self.total * 100) if self.total else 0


DONE_SHARE = 0.9


def path_progress(entries: list["PathEntry"]) -> PathProgress:
    """How far the learner is: items done, time left, and the points the courses earn in the
    learner's registers (each course counted once)."""
    points: dict[str, object] = {}
    for card in {entry.card.id: entry.card for entry in entries}.values():
        for entry_points in card.points:
            points[entry_points.register] = (
                points.get(entry_points.register, 0) + entry_points.points
            )
    left = sum(entry.minutes for entry in entries if not entry.done)
    return PathProgress(
        done=sum(entry.done for entry in entries),
        total=len(entries),
        minutes_left=left,
        points=sorted(points.items()),
    )


def path_entries(*, path: LearningPath, request) -> tuple[list[PathEntry], int]:
    """The path's items that are still in the catalog, in order, and how many are not."""
    items = list(path.items.order_by("rank").values_list("pk", "course_id", "episode_id"))
    live = catalog_api.watchables_get(((c, e) for _pk, c, e in items), request=request)
    cards = {
        card.id: card
        for card in discovery_api.course_cards_for_ids(
            list(dict.fromkeys(c for _pk, c, _e in items)), request=request
        )
    }
    watched = (
        playback_api.episodes_watched(
            user_id=request.user.pk, episode_ids=[e for _pk, _c, e in items if e]
        )
        if request.user.is_authenticated
        else {}
    )
    entries = []
    for pk, course_id, episode_id in items:
        found = live.get((course_id, episode_id))
        card = cards.get(course_id)
        if found is None or card is None:
            continue
        if episode_id is None:
            done = (card.progress_percent or 0) >= DONE_SHARE * 100
        else:
            progress = watched.get(episode_id)
            done = bool(progress and (progress.completed or progress.fraction >= DONE_SHARE))
        entries.append(
            PathEntry(
                pk,
                found.title,
                found.url,
                card.title,
                card,
                episode_id is not None,
                found.minutes,
                done,
            )
        )
    return entries, len(items) - len(entries)


def path_item_place(*, path: LearningPath, item_id: int, request) -> dict | None:
    """What an item is and where it stands (after which item), to put it back after removing."""
    ranked = list(path.items.order_by("rank").values_list("pk", "course_id", "episode_id"))
    for position, (pk, course_id, episode_id) in enumerate(ranked):
        if pk == item_id:
            found = catalog_api.watchables_get([(course_id, episode_id)], request=request)
            title = found[course_id, episode_id].title if found else ""
            return {
                "title": title,
                "course": course_id,
                "episode": episode_id,
                "after": ranked[position - 1][0] if position else None,
            }
    return None


def path_choices(*, user, course_id: int, episode_id: int | None) -> list[tuple[int, str, bool]]:
    """The paths the learner may add to, for the "+" menu: (id, title, already holds it)."""
    writable = (
        LearningPath.objects.filter(Q(owner_id=user.pk) | Q(collaborators__user_id=user.pk))
        .filter(generator="")
        .distinct()
    )
    holding = set(
        PathItem.objects.filter(
            path__in=writable, course_id=course_id, episode_id=episode_id
        ).values_list("path_id", flat=True)
    )
    return [
        (pk, title, pk in holding)
        for pk, title in writable.order_by("-updated_at", "-pk").values_list("pk", "title")
    ]


def path_people(path: LearningPath) -> list[tuple[int, str]]:
    """The path's collaborators: (user id, name)."""
    return [
        (collaborator.user_id, collaborator.user.public_name)
        for collaborator in path.collaborators.select_related("user").order_by("joined_at")
    ]


@dataclass(frozen=True)
class InviteView:
    token: str
    path_title: str
    owner_name: str
    usable: bool


def invite_get(token: str) -> InviteView | None:
    from django.utils import timezone

    invite = PathInvite.objects.select_related("path__owner").filter(token=token).first()
    if invite is None:
        return None
    owner = invite.path.owner
    return InviteView(
        token=token,
        path_title=invite.path.title,
        owner_name=owner.public_name,
        usable=invite.used_at is None and invite.expires_at > timezone.now(),
    )


@dataclass(frozen=True)
class PlayOrder:
    """What "play all" goes through, and how many of the path's courses it leaves out because
    the learner has no access to them (a paid course without enrolment)."""

    episodes: list
    skipped_courses: int


def path_play_order(*, path: LearningPath, user, request=None) -> PlayOrder:
    """The episodes "play all" goes through: each course item's playable episodes in course
    order, each episode item itself; an episode is played once even if the path holds it twice;
    the courses the learner may not watch are skipped.
    """
    items = list(path.items.order_by("rank").values_list("course_id", "episode_id"))
    courses = catalog_api.course_episode_watchables(
        {c for c, e in items if e is None}, request=request
    )
    episodes = catalog_api.watchables_get(((c, e) for c, e in items if e), request=request)
    cards = discovery_api.course_cards_for_ids(
        list(dict.fromkeys(c for c, _e in items)), request=request
    )
    barred = {
        card.id
        for card in cards
        if not playback_api.course_access(user=user, course_id=card.id, free=card.is_free)
    }
    order, seen, skipped = [], set(), set()
    for course_id, episode_id in items:
        if course_id in barred:
            skipped.add(course_id)
            continue
        for watchable in (
            courses.get(course_id, [])
            if episode_id is None
            else [episodes.get((course_id, episode_id))]
        ):
            if watchable is not None and watchable.episode_id not in seen:
                seen.add(watchable.episode_id)
                order.append(watchable)
    return PlayOrder(order, len(skipped))


@dataclass(frozen=True)
class PathProfile:
    name: str
    paths: list[PathSummary]


def path_profile_get(*, owner_id: int, request) -> PathProfile:
    """A learner's public paths, as others see them on the learner's profile."""
    paths = list(
        LearningPath.objects.select_related("owner")
        .filter(owner_id=owner_id, visibility=LearningPath.Visibility.PUBLIC, generator="")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-updated_at", "-pk")
    )
    if not paths:
        raise Http404
    return PathProfile(paths[0].owner.public_name, _summaries(paths, request))
