"""One worker at a time per video: a lease taken at the start and renewed while working."""

import time
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..models import Video


def video_lease_take(*, video: Video) -> bool:
    now = timezone.now()
    until = now + timedelta(seconds=settings.PLAYBACK_LEASE_SECONDS)
    free = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
    return bool(Video.objects.filter(free, pk=video.pk).update(lease_expires_at=until))


def video_lease_seconds_left(*, video: Video) -> float:
    expires = Video.objects.filter(pk=video.pk).values_list("lease_expires_at", flat=True).first()
    return max(0.0, (expires - timezone.now()).total_seconds()) if expires else 0.0


def video_lease_release(*, video: Video) -> None:
    Video.objects.filter(pk=video.pk).update(lease_expires_at=None)


class LeaseRenewer:
    """Call it as often as you like; it writes at most every third of the lease."""

    def __init__(self, video: Video):
        self.video = video
        self.interval = settings.PLAYBACK_LEASE_SECONDS / 3
        self.last = time.monotonic()

    def __call__(self) -> None:
        if time.monotonic() - self.last < self.interval:
            return
        self.last = time.monotonic()
        until = timezone.now() + timedelta(seconds=settings.PLAYBACK_LEASE_SECONDS)
        Video.objects.filter(pk=self.video.pk).update(lease_expires_at=until)
