"""One worker at a time per job: a lease taken at the start and renewed while working.

Works for any row with a ``lease_expires_at`` field: a video, or one part of a long video.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.db.models import Model, Q
from django.utils import timezone


def _rows(instance: Model):
    return type(instance).objects.filter(pk=instance.pk)


def lease_take(instance: Model) -> bool:
    now = timezone.now()
    until = now + timedelta(seconds=settings.PLAYBACK_LEASE_SECONDS)
    free = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
    return bool(_rows(instance).filter(free).update(lease_expires_at=until))


def lease_seconds_left(instance: Model) -> float:
    expires = _rows(instance).values_list("lease_expires_at", flat=True).first()
    return max(0.0, (expires - timezone.now()).total_seconds()) if expires else 0.0


def lease_release(instance: Model) -> None:
    _rows(instance).update(lease_expires_at=None)


class LeaseRenewer:
    """Call it as often as you like; it writes at most every third of the lease."""

    def __init__(self, instance: Model):
        self.instance = instance
        self.interval = settings.PLAYBACK_LEASE_SECONDS / 3
        self.last = time.monotonic()

    def __call__(self) -> None:
        if time.monotonic() - self.last < self.interval:
            return
        self.last = time.monotonic()
        until = timezone.now() + timedelta(seconds=settings.PLAYBACK_LEASE_SECONDS)
        _rows(self.instance).update(lease_expires_at=until)
