"""Long videos: cut at keyframes into chunks that several workers encode at the same time.

The worker that probes a long video copies its picture into chunks of about
``PLAYBACK_CHUNK_SECONDS`` (the first one shorter), cut at the source's own keyframes without
re-encoding, and its sound track into one file. Each becomes a ``TranscodePart`` with a job of
its own on the transcode queue, so the parts spread over every worker there is: add workers,
and long videos get done sooner.

A video part is encoded into every rung with the chunk's timestamps kept, so the fragments of
one chunk follow on from the last one (identical initialization sections, continuous decode
times): the playlists stitch them together with no discontinuity. Every part's timeline is
moved by the same ``TIMELINE_OFFSET``, so the encoder's B-frame delay never takes the first
chunk's decode times below zero (ffmpeg would then move that chunk alone, and frames would
overlap at the first seam). The sound is encoded once, by itself, so it cannot drift or click
at chunk boundaries.

``cutting`` makes the parts and queues each as soon as it is cut; this module encodes one
part; ``stitching`` writes the playlists from the parts and finishes the video.
"""

import contextlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db.models import F, Sum

from ..ladder import ladder_for_source
from ..layout import parts_prefix
from ..models import TranscodePart, Video
from ..reasons import Reason
from .ffmpeg import FfmpegError
from .leases import LeaseRenewer, lease_held
from .probing import source_rotation
from .publishing import (
    SegmentUploader,
)
from .states import IllegalTransition, video_fail
from .stitching import parts_finish, playlists_publish
from .transcoding import (
    failure_reason,
    hls_encode,
    stream_specs,
    transcode_arguments,
)
from .transient import TRANSIENT_DATABASE_ERRORS
from .workspace import (
    scratch_folder,
    storage_delete_tree,
    storage_download,
    video_storage,
)

logger = logging.getLogger(__name__)
Kind = TranscodePart.Kind
# The chunks are the application's own files; only their container may be read.
CHUNK_FORMATS = "matroska,webm"
TIMELINE_OFFSET = 10.0  # seconds; more than any encoder delay
PROGRESS_WRITE_SECONDS = 2.0


class PartBusy(Exception):
    """Another worker holds this part's lease; try again when it runs out."""


# --- encoding one part (on any worker) ------------------------------------------------------


def part_process(
    *, part: TranscodePart, while_encoding: Callable[[], object] = lambda: None, finish=True
) -> None:
    """Encode one part and publish it; run it again and nothing changes.

    ``while_encoding`` is called as the encoder makes progress (the worker cutting a video
    publishes its chunks meanwhile); ``finish=False`` leaves finishing the video to the caller.
    Raises PartBusy while another worker is encoding the same part, and LeaseLost when the part
    was taken over from this worker. Any other error leaves the part free for the next try.
    """
    part.refresh_from_db()
    video = Video.objects.get(pk=part.video_id)
    current = video.state == Video.State.TRANSCODING and video.generation == part.generation
    if not current or part.done:
        if finish:
            parts_finish(video=video)
        return
    with lease_held(part, busy=PartBusy) as renew:
        _part_encode(part, video, renew, while_encoding)
        # Still under the lease: a worker that dies while finishing leaves the video stalled.
        if finish:
            parts_finish(video=video)


def part_give_up(*, part: TranscodePart, error: Exception) -> None:
    """The part kept meeting database errors: its video fails with the reason."""
    video = Video.objects.get(pk=part.video_id)
    video_fail_with_parts(
        video, Reason("database_error", {"detail": str(error)[:200]}), repr(error)
    )


def _part_encode(
    part: TranscodePart, video: Video, renew: LeaseRenewer, while_encoding: Callable[[], object]
) -> None:
    if part.attempts >= settings.PLAYBACK_MAX_ATTEMPTS:
        video_fail_with_parts(video, Reason("attempts_exhausted", {"attempts": part.attempts}))
        return
    TranscodePart.objects.filter(pk=part.pk).update(attempts=F("attempts") + 1)
    with scratch_folder(video) as scratch:
        source = storage_download(
            storage=video_storage(),
            name=part.source_key,
            target=scratch / Path(part.source_key).name,
            while_copying=renew,
        )
        if source is None:
            video_fail_with_parts(video, Reason("source_missing"))
            return
        is_audio = part.kind == Kind.AUDIO
        rungs = [] if is_audio else ladder_for_source(width=video.width, height=video.height)
        streams = stream_specs(rungs=rungs, has_audio=is_audio)
        output = scratch / "hls"
        for spec in streams:
            (output / spec.name).mkdir(parents=True, exist_ok=True)
        uploader = PartUploader(
            part=part,
            video=video,
            storage=video_storage(),
            prefix=video.storage_prefix,
            scratch=output,
            streams=streams,
            expected_seconds=part.duration,
        )
        arguments = transcode_arguments(
            source=source,
            output=output,
            rungs=rungs,
            frame_rate=video.frame_rate,
            has_audio=is_audio,
            short_first_segments=not is_audio and part.index == 0,
            timeline_offset=TIMELINE_OFFSET,
            formats=CHUNK_FORMATS,
            rotation=source_rotation(video.probe),
        )
        try:
            hls_encode(
                arguments=arguments,
                sync=uploader.sync,
                duration=part.duration,
                on_progress=_progress_writer(part, video, renew, while_encoding),
            )
        except FfmpegError as exc:
            reason, detail = failure_reason(exc, duration=part.duration)
            video_fail_with_parts(video, reason, detail)
            return
        uploader.sync(done=True)


def _progress_writer(
    part: TranscodePart, video: Video, renew: LeaseRenewer, while_encoding: Callable[[], object]
):
    last_write = {"at": 0.0}

    def on_progress(seconds: float) -> None:
        renew()
        while_encoding()
        now = time.monotonic()
        if now - last_write["at"] < PROGRESS_WRITE_SECONDS:
            return
        last_write["at"] = now
        # Progress is for show: a write the database refuses now, the next one makes up for.
        with contextlib.suppress(*TRANSIENT_DATABASE_ERRORS):
            _progress_write(part, video, seconds)

    return on_progress


def _progress_write(part: TranscodePart, video: Video, seconds: float) -> None:
    TranscodePart.objects.filter(pk=part.pk).update(encoded_seconds=seconds)
    if part.kind == Kind.VIDEO and video.duration:
        encoded = TranscodePart.objects.filter(
            video=video, generation=part.generation, kind=Kind.VIDEO
        ).aggregate(total=Sum("encoded_seconds"))["total"]
        percent = min(99.0, 100 * (encoded or 0) / video.duration)
        Video.objects.filter(pk=video.pk).update(progress=round(percent, 1))


def video_fail_with_parts(video: Video, reason: Reason, detail: str = "") -> None:
    """Fail the whole video; a part that fails after another one already did changes nothing."""
    with contextlib.suppress(IllegalTransition):
        video_fail(video=video, reason=reason, detail=detail)
    storage_delete_tree(video_storage(), parts_prefix(video.uuid, video.generation))


class PartUploader(SegmentUploader):
    """Uploads one part's segments under ``<stream>/part_NNNN/``, records them on the part, and
    re-stitches the playlists when the part is the first unfinished one."""

    def __init__(self, *, part: TranscodePart, video: Video, **uploader):
        super().__init__(folder=part.folder, **uploader)
        self.part = part
        self.video = video
        # A part restarted after its worker died keeps what it had already published.
        for name, entry in part.streams.items():
            if name in self.published:
                self.published[name] = [tuple(segment) for segment in entry["segments"]]
                self.init_published[name] = entry["init"]
                self.init_digest[name] = entry["init_sha"]
                self.codecs[name] = entry["codecs"]
                if name in self.keyframes:
                    self.keyframes[name] = entry.get("keyframes", {})

    def sync(self, *, done: bool = False) -> None:
        new = self.upload_new(done=done)
        if not new and not done:
            return
        TranscodePart.objects.filter(pk=self.part.pk).update(streams=self._record(), done=done)
        unfinished_before = TranscodePart.objects.filter(
            video=self.video,
            generation=self.part.generation,
            kind=self.part.kind,
            index__lt=self.part.index,
            done=False,
        )
        if not unfinished_before.exists():
            playlists_publish(video=self.video)

    def _record(self) -> dict:
        record = {
            name: {
                "init": self.init_published[name],
                "init_sha": self.init_digest[name],
                "codecs": self.codecs[name],
                "segments": segments,
            }
            for name, segments in self.published.items()
            if name in self.init_published
        }
        for name, entry in record.items():
            if name in self.keyframes:
                entry["keyframes"] = self.keyframes[name]
        return record
