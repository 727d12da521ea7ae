"""The catalog generation: one number that moves on whenever what pages show may have changed.

Reads of published pages that every learner shares (which page answers a URL, whose view
restrictions apply, an episode's course, chapters, attachments and next episode) are cached
under the generation they were read in. Publishing, unpublishing, moving, saving or deleting a
page, or changing a site, a view restriction or a document, moves the generation on, so all of
them are read again. It moves on at once and again after the commit, so a reader that stored
what it read between the two stores it under a number already left behind.

The cache is on when the cache backend is shared by every process (Redis), or in a single
process; ``CATALOG_PAGE_CACHE`` switches it.
"""

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction

KEY = "catalog:generation"
# Cached reads of pages live at most this long, also when nothing moved the generation on.
READ_TTL = 60


def page_cache_enabled() -> bool:
    return bool(settings.CATALOG_PAGE_CACHE)


# Within a request the generation is read once; outside requests (tasks, commands) every time.
_seen = threading.local()


def catalog_generation() -> int:
    value = getattr(_seen, "generation", None)
    if value is None:
        value = cache.get(KEY)
        if value is None:
            # Never a number used before, also when the cache lost the key.
            cache.add(KEY, time.time_ns() // 1000, timeout=None)
            value = cache.get(KEY)
        if getattr(_seen, "in_request", False):
            _seen.generation = value
    return value


def _request_starts(**_signal) -> None:
    _seen.generation, _seen.in_request = None, True


def _request_ends(**_signal) -> None:
    _seen.generation, _seen.in_request = None, False


request_started.connect(_request_starts, dispatch_uid="catalog_generation_request_starts")
request_finished.connect(_request_ends, dispatch_uid="catalog_generation_request_ends")


def catalog_generation_advance(**_signal) -> None:
    _advance()
    transaction.on_commit(_advance)


def _advance() -> None:
    _seen.generation = None
    try:
        cache.incr(KEY)
    except ValueError:  # not there (yet or any more)
        cache.add(KEY, time.time_ns() // 1000, timeout=None)


def cached_read(name: str, key: str, read):
    """What ``read()`` returns, cached under the current generation (for at most ``READ_TTL``
    seconds) when the cache is on."""
    if not page_cache_enabled():
        return read()
    full_key = f"catalog:{name}:{catalog_generation()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = read()
        cache.set(full_key, value, READ_TTL)
    return value
