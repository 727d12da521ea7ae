"""The video state machine: one function per transition, each refusing illegal moves.

A transition is a conditional UPDATE, so two workers racing on the same video cannot both
make the same move from a stale state.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog import api as catalog_api

from ..models import Video
from ..reasons import Reason

State = Video.State

# target state -> the states it may be entered from (re-entering lets a restarted job resume)
TRANSITIONS: dict[str, frozenset[str]] = {
    State.UPLOADED: frozenset({State.READY, State.FAILED, State.REJECTED}),
    State.PROBING: frozenset({State.UPLOADED, State.PROBING}),
    State.TRANSCODING: frozenset({State.PROBING, State.TRANSCODING}),
    State.READY: frozenset({State.TRANSCODING}),
    State.REJECTED: frozenset({State.PROBING}),
    State.FAILED: frozenset({State.UPLOADED, State.PROBING, State.TRANSCODING}),
}


class IllegalTransition(Exception):
    def __init__(self, video: Video, target: str):
        super().__init__(f"video {video.pk}: {video.state} → {target} is not allowed")


def _move(video: Video, target: str, **fields) -> Video:
    allowed = TRANSITIONS[target]
    updated = Video.objects.filter(pk=video.pk, state__in=allowed).update(
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


def video_queue_again(*, video: Video, new_generation: bool) -> Video:
    """ "Transcode again": a new generation is written beside the one viewers are watching."""
    generation = F("generation") + 1 if new_generation else F("generation")
    return _move(
        video,
        State.UPLOADED,
        attempts=0,
        progress=0,
        reason_code="",
        reason_params={},
        error_detail="",
        generation=generation,
        queued_at=None,
    )
