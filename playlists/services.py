"""Writes to learning paths. Every write that orders items locks the path's row first, so two
people reordering the same path at the same moment are served one after the other."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import api as catalog_api

from .covers import MOSAIC_COURSES, path_mosaic_refresh_later
from .models import LearningPath, PathCollaborator, PathFollow, PathInvite, PathItem, PathPlay
from .models.paths import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH, share_token_new

RANK_GAP = 1 << 20


class PathRefused(Exception):
    """A change the learner asked for that cannot be made; ``message`` says why, in their
    language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class OrderChanged(Exception):
    """A move named items that are no longer in the path; ``order`` is the order as it is."""

    def __init__(self, order: list[int]):
        super().__init__("the path's order changed")
        self.order = order


def _title_clean(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise PathRefused(_("Give the path a title."))
    if len(title) > TITLE_MAX_LENGTH:
        raise PathRefused(
            _("A title can be at most %(count)s characters.") % {"count": TITLE_MAX_LENGTH}
        )
    return title


def _description_clean(description: str) -> str:
    description = description.strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise PathRefused(
            _("A description can be at most %(count)s characters.")
            % {"count": DESCRIPTION_MAX_LENGTH}
        )
    return description


def path_create(*, owner, title: str, description: str = "") -> LearningPath:
    return LearningPath.objects.create(
        owner=owner, title=_title_clean(title), description=_description_clean(description)
    )


def path_update(*, path: LearningPath, title: str, description: str, visibility: str) -> None:
    if visibility not in LearningPath.Visibility.values:
        raise PathRefused(_("Choose who can see the path."))
    path.title = _title_clean(title)
    path.description = _description_clean(description)
    path.visibility = visibility
    path.save(update_fields=["title", "description", "visibility", "updated_at"])


def path_order(path: LearningPath) -> list[int]:
    return list(path.items.order_by("rank").values_list("pk", flat=True))


@transaction.atomic
def path_item_add(*, path: LearningPath, actor, course_id: int, episode_id=None) -> PathItem:
    """Add a live course, or one of its live episodes, at the end of the path."""
    item = catalog_api.watchable_get(course_id=course_id, episode_id=episode_id)
    if item is None:
        raise PathRefused(_("This course or episode is not (or no longer) in the catalog."))
    LearningPath.objects.select_for_update().filter(pk=path.pk).first()
    duplicate = path.items.filter(course_id=item.course_id, episode_id=item.episode_id)
    if duplicate.exists():
        raise PathRefused(_("“%(title)s” is already in this path.") % {"title": item.title})
    last = path.items.order_by("-rank").values_list("rank", flat=True).first() or 0
    try:
        with transaction.atomic():
            added = PathItem.objects.create(
                path=path,
                course_id=item.course_id,
                episode_id=item.episode_id,
                rank=last + RANK_GAP,
                added_by=actor,
            )
    except IntegrityError as error:  # added by someone else a moment ago
        raise PathRefused(
            _("“%(title)s” is already in this path.") % {"title": item.title}
        ) from error
    LearningPath.objects.filter(pk=path.pk).update(updated_at=added.added_at)
    path_mosaic_refresh_later(path)
    return added


@transaction.atomic
def path_item_put_back(
    *, path: LearningPath, actor, course_id: int, episode_id: int | None, after_id: int | None
) -> PathItem:
    """Undo a removal: the course or episode back after ``after_id`` (None: first), or at the
    end when that item has gone too."""
    item = path_item_add(path=path, actor=actor, course_id=course_id, episode_id=episode_id)
    if after_id is None or path.items.filter(pk=after_id).exists():
        path_item_move(path=path, item_id=item.pk, after_id=after_id)
    return item


@transaction.atomic
def path_item_remove(*, path: LearningPath, item_id: int) -> bool:
    LearningPath.objects.select_for_update().filter(pk=path.pk).first()
    deleted, _rows = path.items.filter(pk=item_id).delete()
    path_mosaic_refresh_later(path)
    return bool(deleted)


@transaction.atomic
def path_item_move(*, path: LearningPath, item_id: int, after_id: int | None) -> None:
    """Put an item right after another (``after_id``), or first (``None``). Only the moved
    item's row is written, unless the ranks around it have run out of room."""
    LearningPath.objects.select_for_update().filter(pk=path.pk).first()
    ranks = dict(path.items.values_list("pk", "rank"))
    if item_id not in ranks or (after_id is not None and after_id not in ranks):
        raise OrderChanged(path_order(path))
    if after_id == item_id:
        return
    order = sorted((pk for pk in ranks if pk != item_id), key=ranks.get)
    position = 0 if after_id is None else order.index(after_id) + 1
    low = ranks[order[position - 1]] if position > 0 else 0
    high = ranks[order[position]] if position < len(order) else low + 2 * RANK_GAP
    if high - low < 2:
        _ranks_spread(path, order[:position] + [item_id] + order[position:])
    else:
        PathItem.objects.filter(pk=item_id).update(rank=(low + high) // 2)
    was = sorted(ranks, key=ranks.get).index(item_id)
    if min(was, position) < MOSAIC_COURSES:  # the cover shows the first courses
        path_mosaic_refresh_later(path)


def _ranks_spread(path: LearningPath, order: list[int]) -> None:
    """Give every item a fresh rank with room between them (rarely needed)."""
    items = list(path.items.all())
    by_pk = {item.pk: item for item in items}
    # Move every rank out of the way first, so the unique (path, rank) constraint holds.
    offset = max(item.rank for item in items) + RANK_GAP
    for item in items:
        item.rank += offset
    PathItem.objects.bulk_update(items, ["rank"])
    for number, pk in enumerate(order, start=1):
        by_pk[pk].rank = number * RANK_GAP
    PathItem.objects.bulk_update(items, ["rank"])


def path_item_step(*, path: LearningPath, item_id: int, step: int) -> None:
    """Move an item one place up (-1) or down (+1), as the keyboard buttons do."""
    order = path_order(path)
    if item_id not in order:
        raise OrderChanged(order)
    index = order.index(item_id)
    target = max(0, min(len(order) - 1, index + step))
    if target == index:
        return
    rest = [pk for pk in order if pk != item_id]
    after_id = rest[target - 1] if target > 0 else None
    path_item_move(path=path, item_id=item_id, after_id=after_id)


def path_follow(*, path: LearningPath, user) -> None:
    if path.owner_id == user.pk:
        raise PathRefused(_("This is your own path."))
    PathFollow.objects.get_or_create(path=path, user=user)


def path_unfollow(*, path: LearningPath, user) -> None:
    PathFollow.objects.filter(path=path, user=user).delete()


@transaction.atomic
def path_duplicate(*, path: LearningPath, owner) -> LearningPath:
    """An editable copy of a path, with its items in the same order, for ``owner``."""
    title = _("Copy of %(title)s") % {"title": path.title}
    copy = LearningPath.objects.create(
        owner=owner, title=str(title)[:TITLE_MAX_LENGTH], description=path.description
    )
    PathItem.objects.bulk_create(
        PathItem(
            path=copy,
            course_id=item.course_id,
            episode_id=item.episode_id,
            rank=number * RANK_GAP,
            added_by=owner,
        )
        for number, item in enumerate(path.items.order_by("rank"), start=1)
    )
    path_mosaic_refresh_later(copy)
    return copy


def path_share_link_renew(*, path: LearningPath) -> None:
    """A new share link; the old one stops working (followers keep the path)."""
    path.share_token = share_token_new()
    path.save(update_fields=["share_token", "updated_at"])


INVITE_DAYS = 7


def path_invite_create(*, path: LearningPath, by) -> PathInvite:
    return PathInvite.objects.create(
        path=path, created_by=by, expires_at=timezone.now() + timedelta(days=INVITE_DAYS)
    )


@transaction.atomic
def path_invite_accept(*, token: str, user) -> LearningPath:
    """Make ``user`` a collaborator through an invite, which then cannot be used again."""
    invite = (
        PathInvite.objects.select_for_update().select_related("path").filter(token=token).first()
    )
    if invite is None:
        raise PathRefused(_("This invitation does not exist. Ask for a new one."))
    if invite.path.owner_id == user.pk:
        raise PathRefused(_("This is your own path."))
    if PathCollaborator.objects.filter(path=invite.path, user=user).exists():
        return invite.path
    if invite.used_at is not None:
        raise PathRefused(_("This invitation has already been used. Ask for a new one."))
    if invite.expires_at <= timezone.now():
        raise PathRefused(_("This invitation has expired. Ask for a new one."))
    invite.used_by, invite.used_at = user, timezone.now()
    invite.save(update_fields=["used_by", "used_at"])
    PathCollaborator.objects.create(path=invite.path, user=user)
    return invite.path


def path_collaborator_remove(*, path: LearningPath, user_id: int) -> bool:
    deleted, _rows = PathCollaborator.objects.filter(path=path, user_id=user_id).delete()
    return bool(deleted)


def path_played(*, path: LearningPath, user) -> None:
    """Remember that the learner opened something from this path just now."""
    PathPlay.objects.update_or_create(path=path, user=user, defaults={"played_at": timezone.now()})
