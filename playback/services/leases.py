"""One worker at a time per job: a lease taken at the start and renewed while working.

Works for any row with a ``lease_expires_at`` field: a video, or one part of a long video. The
holder knows its lease by the expiry it last wrote; once that ran out and the job was taken over
(by another worker or by the stalled-work sweep), the holder's next renewal finds another value
and it stops with ``LeaseLost``. A lease that runs out marks stalled work: see ``stalls``.
"""

import contextlib
import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Model, Q
from django.utils import timezone

from .transient import TRANSIENT_DATABASE_ERRORS

logger = logging.getLogger(__name__)


class LeaseLost(Exception):
    """The lease ran out and the job was taken over; this worker must leave it alone."""


def _rows(instance: Model):
    return type(instance).objects.filter(pk=instance.pk)


def lease_take(instance: Model) -> datetime | None:
    """The new lease's expiry, which identifies it; None while another worker holds one."""
    now = timezone.now()
    until = now + timedelta(seconds=settings.PLAYBACK_LEASE_SECONDS)
    free = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
    return until if _rows(instance).filter(free).update(lease_expires_at=until) else None


def lease_seconds_left(instance: Model) -> float:
    expires = _rows(instance).values_list("lease_expires_at", flat=True).first()
    return max(0.0, (expires - timezone.now()).total_seconds()) if expires else 0.0


def lease_release(instance: Model, held: datetime) -> None:
    """The job is done: the row is free, and nothing about it is stalled."""
    _rows(instance).filter(lease_expires_at=held).update(lease_expires_at=None)


def lease_abandon(instance: Model, held: datetime) -> None:
    """The job stopped without finishing: free for the next try at once, stalled from now on.

    When the database refuses even this, the lease simply runs out, as a dead worker's does.
    """
    with contextlib.suppress(*TRANSIENT_DATABASE_ERRORS):
        _rows(instance).filter(lease_expires_at=held).update(lease_expires_at=timezone.now())


class LeaseRenewer:
    """Call it as often as you like; it writes at most every third of the lease.

    A renewal the database refuses for a moment (SQLite's write lock held by another process, a
    dropped connection) is tried again on the next call for as long as the lease lasts.
    """

    def __init__(self, instance: Model, held: datetime):
        self.instance = instance
        self.held = held
        self.interval = settings.PLAYBACK_LEASE_SECONDS / 3
        self.last = time.monotonic()

    def __call__(self) -> None:
        if time.monotonic() - self.last < self.interval:
            return
        until = timezone.now() + timedelta(seconds=settings.PLAYBACK_LEASE_SECONDS)
        try:
            renewed = (
                _rows(self.instance)
                .filter(lease_expires_at=self.held)
                .update(lease_expires_at=until)
            )
        except TRANSIENT_DATABASE_ERRORS as error:
            if timezone.now() >= self.held:
                raise
            logger.warning(
                "lease on %s %s not renewed (%s); trying again while it lasts",
                type(self.instance).__name__.lower(),
                self.instance.pk,
                error,
            )
            return
        if not renewed:
            raise LeaseLost(f"{type(self.instance).__name__.lower()} {self.instance.pk}")
        self.held = until
        self.last = time.monotonic()


@contextlib.contextmanager
def lease_held(instance: Model, *, busy: type[Exception]):
    """Work on a row under its lease: gives the renewer to call while working. Raises ``busy``
    while another worker holds the lease. Work that ends is released; work that fails is
    abandoned (free for the next try at once); work taken over is left to its new holder."""
    held = lease_take(instance)
    if held is None:
        raise busy(instance.pk)
    renew = LeaseRenewer(instance, held)
    try:
        yield renew
    except LeaseLost:
        raise
    except BaseException:
        lease_abandon(instance, renew.held)
        raise
    lease_release(instance, renew.held)
