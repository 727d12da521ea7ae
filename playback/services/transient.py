"""Database errors that pass if one waits: SQLite's write lock held by another process too long
("database is locked"), a PostgreSQL deadlock or serialization failure (both OperationalError),
a connection dropped under the worker (InterfaceError). A job meeting one is tried again later;
a job that keeps meeting them fails with a reason an editor can read."""

import random

from django.conf import settings
from django.db import InterfaceError, OperationalError

TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_MAX_SECONDS = 300


def retry_countdown(*, errors_so_far: int) -> float:
    """Seconds until the next try: doubling from PLAYBACK_DATABASE_RETRY_SECONDS, with jitter so
    workers that failed together do not come back together."""
    base = settings.PLAYBACK_DATABASE_RETRY_SECONDS
    return min(RETRY_MAX_SECONDS, base * 2**errors_so_far) + random.uniform(0, base)
