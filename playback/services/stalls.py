"""Work nobody is doing any more, found by its lease whatever state it stopped in.

A worker holds a lease on the video, or on the part of a long video, it works on, and renews it
while it works. A lease that ran out means the worker died, hung or could not reach the database:
editors see "stalled since" from that moment and may start the video again, and the sweep
(``videos_stalled_recover``, every minute) takes the work over once the lease is
``PLAYBACK_STALLED_GRACE_SECONDS`` past, or fails the video with the reason once it has been
started ``PLAYBACK_MAX_ATTEMPTS`` times. Nothing stays "transcoding" for ever.
"""

import contextlib
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from ..models import TranscodePart, Video
from .queue import video_enqueue, video_part_enqueue
from .states import (
    WORKING,
    IllegalTransition,
    video_fail_stalled,
    video_requeue_stalled,
    video_resume_stalled,
)

logger = logging.getLogger(__name__)
State = Video.State


def _current_parts(video: Video):
    """The parts of a long video being encoded now; none while it is not transcoding."""
    if video.state != State.TRANSCODING:
        return TranscodePart.objects.none()
    return TranscodePart.objects.filter(video=video, generation=video.generation)


def video_stalled_since(*, video: Video, now: datetime | None = None) -> datetime | None:
    """When work on the video stopped; None while it is final, queued or being worked on."""
    now = now or timezone.now()
    if video.state not in WORKING:
        return None
    if video.lease_expires_at and video.lease_expires_at >= now:
        return None
    parts = _current_parts(video)
    if parts.exists():
        if parts.filter(lease_expires_at__gte=now).exists():
            return None
        pending = parts.filter(done=False)
        if pending.exists():  # waiting parts have no lease yet: only a lapsed one is stalled
            return pending.aggregate(since=Min("lease_expires_at"))["since"]
        # Every part is encoded, and nobody is finishing the video.
        last = parts.aggregate(last=Max("lease_expires_at"))["last"]
        return video.lease_expires_at or last or video.updated_at
    if video.lease_expires_at:
        return video.lease_expires_at
    # Probing or transcoding with no lease at all: nobody has been on it since it got there.
    return video.updated_at if video.state != State.UPLOADED else None


def videos_stalled_recover(*, now: datetime | None = None) -> int:
    """Take over or fail every video stalled longer than the grace, and queue the videos whose
    job never reached the broker; returns how many were handled."""
    now = now or timezone.now()
    before = now - timedelta(seconds=settings.PLAYBACK_STALLED_GRACE_SECONDS)
    handled = 0
    for video in Video.objects.filter(state__in=WORKING).order_by("pk"):
        since = video_stalled_since(video=video, now=now)
        if since is not None and since < before:
            with contextlib.suppress(IllegalTransition):  # picked up meanwhile
                _video_recover(video, before)
                handled += 1
    return handled + _never_queued_enqueue(now)


def _video_recover(video: Video, before: datetime) -> None:
    parts = _current_parts(video)
    if parts.exists():
        _parts_recover(video, parts, before)
        return
    if video.attempts >= settings.PLAYBACK_MAX_ATTEMPTS:
        video_fail_stalled(video=video, before=before, attempts=video.attempts)
        logger.warning("video %s stalled %s times and was set aside", video.pk, video.attempts)
        return
    video_requeue_stalled(video=video, before=before)
    logger.warning("video %s stalled in %s; queued again", video.pk, video.state)
    transaction.on_commit(lambda: video_enqueue(video.pk), robust=True)


def _parts_recover(video: Video, parts, before: datetime) -> None:
    """A long video goes on from its parts: the lapsed ones are queued again, nothing else."""
    pending = parts.filter(done=False)
    if not pending.exists():  # all encoded, never finished: the video's own job finishes it
        if video.attempts >= settings.PLAYBACK_MAX_ATTEMPTS:
            video_fail_stalled(video=video, before=before, attempts=video.attempts)
            return
        video_resume_stalled(video=video, before=before)
        transaction.on_commit(lambda: video_enqueue(video.pk), robust=True)
        return
    for part in pending.filter(lease_expires_at__lt=before):
        if part.attempts >= settings.PLAYBACK_MAX_ATTEMPTS:
            video_fail_stalled(video=video, before=before, attempts=part.attempts)
            logger.warning("video %s: part %s stalled too often", video.pk, part.pk)
            return
        lapsed = TranscodePart.objects.filter(pk=part.pk, lease_expires_at=part.lease_expires_at)
        if lapsed.update(lease_expires_at=None):  # a worker that renewed meanwhile keeps it
            logger.warning("video %s: part %s stalled; queued again", video.pk, part.pk)
            transaction.on_commit(lambda pk=part.pk: video_part_enqueue(pk), robust=True)


def _never_queued_enqueue(now: datetime) -> int:
    """Videos whose job never reached the broker (it was down at upload time)."""
    cutoff = now - timedelta(seconds=settings.PLAYBACK_REQUEUE_AFTER_SECONDS)
    waiting = list(
        Video.objects.filter(
            state=State.UPLOADED, queued_at__isnull=True, updated_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for video_id in waiting:
        video_enqueue(video_id)
    return len(waiting)
