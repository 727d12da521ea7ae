from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from .covers import COVER_SPECS
from .generation import catalog_generation_advance
from .models import CoursePage, EpisodeAttachment, EpisodeChapter, EpisodePage, EpisodeQuestion
from .search_index import (
    course_of_page,
    course_search_documents_missing_build,
    course_search_documents_refresh,
)

# Courses whose search documents wait for the end of a search_documents_batched() block.
_batched: ContextVar[set[int] | None] = ContextVar("search_documents_batched", default=None)


@contextmanager
def search_documents_batched() -> Iterator[None]:
    """Pages published inside refresh their courses' search documents once, at the end: a
    course published with its episodes is written once, not once per page."""
    pending: set[int] = set()
    token = _batched.set(pending)
    try:
        yield
    finally:
        _batched.reset(token)
    if pending:
        course_search_documents_refresh(course_ids=sorted(pending))


@receiver(page_published)
@receiver(page_unpublished)
def search_document_follows_pages(sender, instance, **kwargs) -> None:
    if not isinstance(instance, CoursePage | EpisodePage):
        return
    course_id = course_of_page(instance)
    pending = _batched.get()
    if course_id is not None and pending is not None:
        pending.add(course_id)
    elif course_id is not None:
        course_search_documents_refresh(course_ids=[course_id])
    if isinstance(instance, CoursePage) and instance.cover_image_id:
        # Made now, so learners' requests only ever read renditions.
        cover = instance.cover_image
        cover.get_renditions(*COVER_SPECS)


@receiver(post_delete, sender=EpisodePage)
def search_document_forgets_deleted_episodes(sender, instance, **kwargs) -> None:
    course_id = course_of_page(instance)
    if course_id is not None:
        # The course may be going too (a deleted subtree); refresh only once it is settled.
        transaction.on_commit(lambda: course_search_documents_refresh(course_ids=[course_id]))


def search_documents_after_migrate(sender, **kwargs) -> None:
    course_search_documents_missing_build()


def connect(app_config) -> None:
    post_migrate.connect(
        search_documents_after_migrate, sender=app_config, dispatch_uid="catalog_search_documents"
    )
    # A release may change what cached reads hold; every release migrates.
    post_migrate.connect(
        catalog_generation_advance, sender=app_config, dispatch_uid="catalog_generation_release"
    )
    generation_follows_content()


def generation_follows_content() -> None:
    """Everything a cached read of pages depends on moves the catalog generation on."""
    from wagtail.documents import get_document_model
    from wagtail.models import PageViewRestriction, Site, get_page_models

    models = [
        *get_page_models(),
        Site,
        PageViewRestriction,
        get_document_model(),
        EpisodeChapter,
        EpisodeAttachment,
        EpisodeQuestion,
    ]
    for model in models:
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                catalog_generation_advance,
                sender=model,
                dispatch_uid=f"catalog_generation_{name}_{model._meta.label}",
            )
    for name, signal in (
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("moved", post_page_move),
    ):
        signal.connect(catalog_generation_advance, dispatch_uid=f"catalog_generation_{name}")
