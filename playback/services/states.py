"""The video state machine: one function per transition, each refusing illegal moves.

A transition is a conditional UPDATE, so two workers racing on the same video cannot both
make the same move from a stale state. Moves out of a working state that nobody asked for
(taking stalled work over, restarting it) are also guarded by the lease: they happen only once
no worker holds the video or one of its parts.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from catalog import api as catalog_api

from ..models import TranscodePart, Video
from ..reasons import Reason

State = Video.State
FINAL = frozenset({State.READY, State.REJECTED, State.FAILED})
WORKING = frozenset({State.UPLOADED, State.PROBING, State.TRANSCODING})

# target state -> the states it may be entered from (re-entering lets a restarted job resume;
# from a working state back to uploaded only when nobody holds the lease, see _unattended)
TRANSITIONS: dict[str, frozenset[str]] = {
    State.UPLOADED: FINAL | WORKING,
    State.PROBING: frozenset({State.UPLOADED, State.PROBING}),
    State.TRANSCODING: frozenset({State.PROBING, State.TRANSCODING}),
    State.READY: frozenset({State.TRANSCODING}),
    State.REJECTED: frozenset({State.PROBING}),
    State.FAILED: WORKING,
}


class IllegalTransition(Exception):
    def __init__(self, video: Video, target: str):
        super().__init__(f"video {video.pk}: {video.state} → {target} is not allowed")


def _move(video: Video, target: str, *, guard: Q | None = None, **fields) -> Video:
    allowed = TRANSITIONS[target]
    updated = Video.objects.filter(guard or Q(), pk=video.pk, state__in=allowed).update(
        state=target, updated_at=timezone.now(), **fields
    )
    video.refresh_from_db()
    if not updated:
        raise IllegalTransition(video, target)
    return video


def video_start_probing(*, video: Video) -> Video:
    return _move(video, State.PROBING, attempts=F("attempts") + 1)


def video_start_transcoding(*, video: Video, probe: dict, **facts) -> Video:
    return _move(video, State.TRANSCODING, probe=probe, progress=0, **facts)


def video_resume_transcoding(*, video: Video) -> Video:
    """A job that died mid-transcode starts over; this counts as another attempt."""
    return _move(video, State.TRANSCODING, attempts=F("attempts") + 1, progress=0)


def video_reject(*, video: Video, reason: Reason, probe: dict | None = None) -> Video:
    return _move(
        video,
        State.REJECTED,
        reason_code=reason.code,
        reason_params=reason.params,
        probe=probe,
        progress=0,
    )


def video_fail(*, video: Video, reason: Reason, detail: str = "") -> Video:
    return _move(
        video,
        State.FAILED,
        reason_code=reason.code,
        reason_params=reason.params,
        error_detail=detail[-4000:],
    )


def _course_durations_refresher(video_id: int):
    def course_durations_refresh() -> None:
        catalog_api.course_durations_refresh(video_id=video_id)

    return course_durations_refresh


def video_mark_ready(*, video: Video) -> Video:
    transaction.on_commit(_course_durations_refresher(video.pk), robust=True)
    return _move(
        video,
        State.READY,
        progress=100,
        ready_at=timezone.now(),
        reason_code="",
        reason_params={},
        error_detail="",
        published_generation=video.generation,
    )


def _lapsed(before: datetime) -> Q:
    """The video's own lease ran out before then, or none is held."""
    return Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=before)


def _unattended(now: datetime) -> Q:
    """No worker holds the video, nor any part of it."""
    live_part = TranscodePart.objects.filter(video=OuterRef("pk"), lease_expires_at__gte=now)
    return _lapsed(now) & ~Exists(live_part)


def video_queue_again(*, video: Video, new_generation: bool) -> Video:
    """ "Transcode again": a new generation is written beside the one viewers are watching.

    From a final state, or from a working state nobody is working on any more (stalled);
    refused while a worker holds the video or one of its parts.
    """
    generation = F("generation") + 1 if new_generation else F("generation")
    return _move(
        video,
        State.UPLOADED,
        guard=Q(state__in=FINAL) | _unattended(timezone.now()),
        attempts=0,
        progress=0,
        reason_code="",
        reason_params={},
        error_detail="",
        generation=generation,
        queued_at=None,
        lease_expires_at=None,
    )


def video_requeue_stalled(*, video: Video, before: datetime) -> Video:
    """Work whose lease ran out before ``before`` goes back to the queue; the worker that takes it
    counts a new attempt when it starts probing."""
    return _move(
        video,
        State.UPLOADED,
        guard=Q(state__in=WORKING) & _lapsed(before),
        progress=0,
        queued_at=None,
        lease_expires_at=None,
    )


def video_resume_stalled(*, video: Video, before: datetime) -> Video:
    """A long video whose parts are all encoded but which nobody finished: one more attempt."""
    return _move(
        video,
        State.TRANSCODING,
        guard=Q(state=State.TRANSCODING) & _lapsed(before),
        attempts=F("attempts") + 1,
        lease_expires_at=None,
    )


def video_fail_stalled(*, video: Video, before: datetime, attempts: int) -> Video:
    """Work that stalled once too often is set aside, with the reason."""
    return _move(
        video,
        State.FAILED,
        guard=_lapsed(before),
        reason_code="stalled",
        reason_params={"attempts": attempts},
        lease_expires_at=None,
    )
