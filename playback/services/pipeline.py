"""The whole way from an uploaded file to a published HLS ladder, safe to run again."""

import contextlib
import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from ..ladder import ladder_for_source
from ..models import Video
from ..reasons import Reason
from . import cutting
from .ffmpeg import FfmpegError
from .leases import LeaseRenewer, lease_held
from .probing import SourceRejected, source_probe, source_rotation, source_validate
from .renditions import generation_delete, renditions_record, video_mark_playable
from .states import (
    IllegalTransition,
    video_fail,
    video_mark_ready,
    video_reject,
    video_resume_transcoding,
    video_start_probing,
    video_start_transcoding,
)
from .stills import video_poster_make, video_thumbnails_make
from .transcoding import failure_reason, hls_transcode
from .transient import TRANSIENT_DATABASE_ERRORS
from .workspace import scratch_folder, storage_download, video_storage

State = Video.State
PROGRESS_WRITE_SECONDS = 2.0


class VideoBusy(Exception):
    """Another worker holds this video's lease; try again when it runs out."""


def video_process(*, video: Video) -> Video:
    """Probe, validate, transcode and publish; a video already final is left as it is.

    A long video is split into parts for several workers (``chunked``); this call then returns
    with the video still transcoding, and the worker that finishes the last part publishes it.
    Raises VideoBusy while another worker is processing the same video, and LeaseLost when this
    one was too slow to renew its lease and the video was taken over. Any other error leaves the
    video free for the next try, and stalled until then.
    """
    video.refresh_from_db()
    if video.state in (State.READY, State.REJECTED, State.FAILED):
        return video
    with lease_held(video, busy=VideoBusy) as renew:
        video = _process(video, renew)
    return video


def video_give_up(*, video: Video, error: Exception) -> Video:
    """The job kept meeting database errors: the editor reads why and may transcode again."""
    reason = Reason("database_error", {"detail": str(error)[:200]})
    with contextlib.suppress(IllegalTransition):  # already final: nothing to record
        video = video_fail(video=video, reason=reason, detail=repr(error))
    return video


def _process(video: Video, renew: LeaseRenewer) -> Video:
    if video.state == State.TRANSCODING and cutting.parts_planned(video=video):
        cutting.parts_enqueue(video=video)  # the split was done; its parts carry on
        return video
    if video.attempts >= settings.PLAYBACK_MAX_ATTEMPTS:
        return video_fail(
            video=video,
            reason=Reason("attempts_exhausted", {"attempts": video.attempts}),
            detail=video.error_detail,
        )
    with scratch_folder(video) as scratch:
        source = storage_download(
            storage=default_storage,
            name=video.source.name if video.source else "",
            target=scratch / "source",
            while_copying=renew,
        )
        if source is None:
            return video_fail(video=video, reason=Reason("source_missing"))
        if video.state in (State.UPLOADED, State.PROBING):
            video = video_start_probing(video=video)
            try:
                probe = source_probe(source)
                facts = source_validate(probe)
            except SourceRejected as rejection:
                return video_reject(video=video, reason=rejection.reason, probe=rejection.probe)
            video = video_start_transcoding(
                video=video,
                probe=probe,
                duration=facts.duration,
                width=facts.width,
                height=facts.height,
                frame_rate=facts.frame_rate,
                has_audio=facts.has_audio,
            )
        else:
            video = video_resume_transcoding(video=video)
        if cutting.chunking_applies(video=video) and cutting.parts_plan(
            video=video, source=source, scratch=scratch, renew=renew
        ):
            video.refresh_from_db()
            if video.state != State.FAILED:
                video_poster_make(video=video, source=source, scratch=scratch)
            return video
        return _transcode_and_publish(video, source, scratch, renew)


def _transcode_and_publish(video: Video, source: Path, scratch: Path, renew: LeaseRenewer) -> Video:
    rungs = ladder_for_source(width=video.width, height=video.height)
    last_write = {"at": 0.0}

    def on_progress(percent: float) -> None:
        renew()
        now = time.monotonic()
        if now - last_write["at"] >= PROGRESS_WRITE_SECONDS:
            last_write["at"] = now
            # Progress is for show: a write the database refuses now, the next one makes up for.
            with contextlib.suppress(*TRANSIENT_DATABASE_ERRORS):
                Video.objects.filter(pk=video.pk).update(progress=round(percent, 1))

    try:
        results = hls_transcode(
            source=source,
            scratch=scratch,
            storage=video_storage(),
            prefix=video.storage_prefix,
            rungs=rungs,
            duration=video.duration,
            frame_rate=video.frame_rate,
            has_audio=video.has_audio,
            on_progress=on_progress,
            on_playable=lambda: video_mark_playable(video=video),
            rotation=source_rotation(video.probe),
        )
    except FfmpegError as exc:
        reason, detail = failure_reason(exc, duration=video.duration)
        return video_fail(video=video, reason=reason, detail=detail)

    video_poster_make(video=video, source=source, scratch=scratch)
    video_thumbnails_make(video=video, lowest_rung=scratch / "hls" / rungs[0].name, scratch=scratch)
    previous = video.published_generation
    with transaction.atomic():
        renditions_record(video=video, results=results)
        video = video_mark_ready(video=video)
    if previous and previous != video.generation:
        generation_delete(video=video, generation=previous)
    return video
