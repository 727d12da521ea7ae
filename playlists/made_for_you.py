"""Paths Leerstroom makes for each learner and refreshes on a schedule ("Made for you").

Each generator is data: a slug, a title, an introduction and a rule that picks courses for a
learner. A refresh replaces the path's items in one transaction, so a learner never sees a
half-made path; running it twice gives the same path."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accreditation import api as accreditation_api
from catalog import api as catalog_api
from discovery import api as discovery_api
from playback import api as playback_api

from .api import ACCREDITATION_PATH_GENERATOR
from .covers import path_mosaic_refresh_later
from .models import LearningPath, PathItem
from .services import RANK_GAP

PATH_LENGTH = 10
ACTIVE_DAYS = 90


@dataclass(frozen=True)
class Generator:
    slug: str
    title: object
    intro: object
    pick: Callable[[object], list[int]]


def _accreditation_complete(profile) -> list[int]:
    # Courses in the categories that still count toward a register's shortfall: once a cap is
    # reached or a minimum is met elsewhere, more of the same would not help the learner.
    if not profile.register_ids:
        return []
    today = timezone.localdate()
    return accreditation_api.course_ids_for_shortfalls(
        shortfalls=accreditation_api.register_shortfalls(user_id=profile.user_id, on=today),
        on=today,
        limit=PATH_LENGTH * 2,
        exclude=playback_api.course_ids_watched(user_id=profile.user_id),
    )


def _comfort_zone(profile) -> list[int]:
    return discovery_api.course_ids_beyond_comfort_zone(
        user_id=profile.user_id, profession_id=profile.profession_id, limit=PATH_LENGTH * 2
    )


GENERATORS = [
    Generator(
        ACCREDITATION_PATH_GENERATOR,
        _("Complete your accreditation"),
        _("Accredited courses that count toward what you still need in your registers."),
        _accreditation_complete,
    ),
    Generator(
        "buiten-je-comfortzone",
        _("Beyond your comfort zone"),
        _("Strong courses in the roles you have watched least."),
        _comfort_zone,
    ),
]


@dataclass(frozen=True)
class _Learner:
    user_id: int
    profession_id: int | None
    register_ids: tuple[int, ...]


def made_for_you_refresh(*, user_id: int) -> int:
    """Make or refresh every generated path of one learner; returns how many have items."""
    profile = accreditation_api.learner_profile_get(user_id=user_id)
    learner = _Learner(
        user_id,
        profile.profession_id if profile else None,
        tuple(profile.register_ids) if profile else (),
    )
    filled = 0
    for generator in GENERATORS:
        course_ids = generator.pick(learner)
        live = catalog_api.watchables_get((course_id, None) for course_id in course_ids)
        course_ids = [c for c in course_ids if (c, None) in live][:PATH_LENGTH]
        _path_replace(learner.user_id, generator, course_ids)
        filled += bool(course_ids)
    return filled


@transaction.atomic
def _path_replace(user_id: int, generator: Generator, course_ids: list[int]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        title, intro = str(generator.title), str(generator.intro)
    path, _created = LearningPath.objects.select_for_update().get_or_create(
        owner_id=user_id, generator=generator.slug, defaults={"title": title, "description": intro}
    )
    current = list(path.items.order_by("rank").values_list("course_id", flat=True))
    if current == course_ids:
        return
    path.items.all().delete()
    PathItem.objects.bulk_create(
        PathItem(path=path, course_id=course_id, rank=(n + 1) * RANK_GAP)
        for n, course_id in enumerate(course_ids)
    )
    path.title, path.description = title, intro
    path.save(update_fields=["title", "description", "updated_at"])
    path_mosaic_refresh_later(path)


def learners_active() -> list[int]:
    """Learners who signed in during the last 90 days."""
    since = timezone.now() - timedelta(days=ACTIVE_DAYS)
    return list(
        get_user_model()
        .objects.filter(is_active=True, last_login__gte=since)
        .values_list("pk", flat=True)
    )
