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

Each chunk is queued as soon as it is cut, the first (short) one and the sound first, so the
video is playable within seconds whatever its length;
``stitching`` writes the playlists from the parts and finishes the video.
"""

import contextlib
import csv
import logging
import time
from collections.abc import Callable
from pathlib import Path

import ffmpeg
from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum

from ..ladder import ladder_for_source
from ..layout import parts_prefix
from ..models import TranscodePart, Video
from ..reasons import Reason
from .ffmpeg import FfmpegError, FfmpegProcess, ffmpeg_run, input_options
from .leases import LeaseRenewer, lease_held
from .probing import source_rotation
from .publishing import (
    SegmentUploader,
)
from .queue import video_part_enqueue
from .states import IllegalTransition, video_fail
from .stitching import parts_finish, playlists_publish
from .transcoding import (
    encode_timeout,
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
    storage_upload,
    video_storage,
)

logger = logging.getLogger(__name__)
Kind = TranscodePart.Kind
# The chunks are the application's own files; only their container may be read.
CHUNK_FORMATS = "matroska,webm"
TIMELINE_OFFSET = 10.0  # seconds; more than any encoder delay
PROGRESS_WRITE_SECONDS = 2.0
CUT_POLL_SECONDS = 0.2  # how soon a chunk the cutter has written is queued


class PartBusy(Exception):
    """Another worker holds this part's lease; try again when it runs out."""


# --- splitting (on the worker that probed the video) ---------------------------------------


def chunking_applies(*, video: Video) -> bool:
    minimum = settings.PLAYBACK_CHUNKED_MIN_SECONDS
    return bool(minimum) and (video.duration or 0) >= minimum


def parts_planned(*, video: Video) -> bool:
    """The source has been cut to the end, and every part is recorded."""
    return video.parts_cut_generation == video.generation


def cut_times(duration: float) -> list[float]:
    """Where chunks should start (each cut lands on the first keyframe from there): a short
    first chunk, then one every PLAYBACK_CHUNK_SECONDS."""
    first, every = settings.PLAYBACK_FIRST_CHUNK_SECONDS, settings.PLAYBACK_CHUNK_SECONDS
    times, at = [], float(first)
    while at < duration:
        times.append(at)
        at += every
    return times


def split_arguments(*, source: Path, folder: Path, duration: float) -> list[str]:
    """Copy (not encode) the picture into chunks cut at keyframes, listing each once written."""
    stream = ffmpeg.input(f"file:{source}", **input_options())
    return ffmpeg.output(
        stream["v:0"],
        str(folder / "chunk_%04d.mkv"),
        c="copy",
        f="segment",
        segment_times=",".join(f"{at:g}" for at in cut_times(duration)),
        segment_format="matroska",
        segment_list=str(folder / "chunks.csv"),
        segment_list_type="csv",
        reset_timestamps=0,
    ).get_args()


def sound_arguments(*, source: Path, target: Path) -> list[str]:
    """Copy the first sound track into a file of its own (the container reads only its bytes)."""
    stream = ffmpeg.input(f"file:{source}", **input_options())
    return ffmpeg.output(stream["a:0"], str(target), c="copy").get_args()


def chunk_list_read(path: Path) -> list[tuple[str, float, float]]:
    """(file name, start, end) of every chunk written so far, in order, from the segment
    muxer's list (it adds a line once a chunk is complete)."""
    if not path.exists():
        return []
    with open(path, newline="") as handle:
        return [
            (Path(name).name, float(start), float(end)) for name, start, end in csv.reader(handle)
        ]


def parts_plan(*, video: Video, source: Path, scratch: Path, renew: LeaseRenewer) -> bool:
    """Cut the source into parts in storage, queueing each chunk as soon as it is cut.

    Cutting reads and writes the whole source, so this worker has little to compute meanwhile:
    it encodes the sound itself (copied out first, which takes a moment), while the short
    first chunk is already on the queue for another worker. A long video is so playable as
    soon as a short one, and no worker waits for the cut to end. Parts already recorded for
    this generation (by a worker that died while cutting) are kept and queued again.

    Returns False when the source does not cut into at least two chunks (one keyframe, or a
    codec the chunk container cannot hold); nothing has been queued then, and the video is
    encoded in one go. A source that breaks off after parts were queued fails the video.
    """
    folder = scratch / "parts"
    folder.mkdir()
    publisher = ChunkPublisher(video=video, folder=folder, renew=renew)
    try:
        if video.has_audio:
            ffmpeg_run(
                sound_arguments(source=source, target=folder / "audio.mka"),
                timeout=encode_timeout(video.duration),
                while_running=renew,
            )
        _cut(video, source, folder, publisher)
    except (FfmpegError, OSError, ValueError) as exc:
        if not publisher.started:
            logger.warning("video %s could not be cut into chunks", video.pk, exc_info=True)
            return False
        if isinstance(exc, FfmpegError):
            reason, detail = failure_reason(exc, duration=video.duration)
        else:
            reason, detail = Reason("transcode_error", {"detail": str(exc)[:200]}), repr(exc)
        _video_fail(video, reason, detail)
        return True
    if _failed(video):
        return True
    if publisher.publish_cut(final=True) < 2:
        return False
    if not publisher.sound_encode():
        return True
    Video.objects.filter(pk=video.pk).update(parts_cut_generation=video.generation)
    video.parts_cut_generation = video.generation
    parts_finish(video=video)  # every part may be done already
    return True


def _cut(video: Video, source: Path, folder: Path, publisher: "ChunkPublisher") -> None:
    cutter = FfmpegProcess(
        split_arguments(source=source, folder=folder, duration=video.duration),
        timeout=encode_timeout(video.duration),
    )
    try:
        while cutter.alive():
            publisher.publish_cut()
            # Publishing goes on while the sound is encoded: the cutter does not wait.
            if not publisher.sound_encode():
                return  # the video failed: no use cutting on
            cutter.wait(CUT_POLL_SECONDS)
    finally:
        cutter.stop()
    cutter.check()


def _failed(video: Video) -> bool:
    return Video.objects.filter(pk=video.pk, state=Video.State.FAILED).exists()


class ChunkPublisher:
    """Puts each chunk in storage once the cutter has written it, and queues it.

    The first chunk only appears once the cutter starts on the second, so by then the source is
    known to cut into parts: the sound's part is recorded with it, for this worker to encode.
    """

    def __init__(self, *, video: Video, folder: Path, renew: LeaseRenewer):
        self.video, self.folder, self.renew = video, folder, renew
        self.storage = video_storage()
        self.prefix = parts_prefix(video.uuid, video.generation)
        self.published = 0
        self.sound: TranscodePart | None = None

    @property
    def started(self) -> bool:
        return self.published > 0

    def publish_cut(self, *, final: bool = False) -> int:
        """Publish the chunks listed since the last call; the number listed in all."""
        self.renew()
        chunks = chunk_list_read(self.folder / "chunks.csv")
        if final and len(chunks) < 2:
            return len(chunks)
        for index in range(self.published, len(chunks)):
            name, start, end = chunks[index]
            part = self._publish(Kind.VIDEO, index, name, start, max(0.0, end - start))
            if not part.done:
                transaction.on_commit(lambda pk=part.pk: video_part_enqueue(pk), robust=True)
            if index == 0 and self.video.has_audio:
                self.sound = self._publish(Kind.AUDIO, 0, "audio.mka", 0.0, self.video.duration)
            self.published = index + 1
        return len(chunks)

    def sound_encode(self) -> bool:
        """Encode the sound's part here, once recorded, publishing chunks as they come; False
        when the video has failed."""
        sound, self.sound = self.sound, None
        if sound is None or sound.done:
            return True
        with contextlib.suppress(PartBusy):  # another worker is encoding it
            part_process(part=sound, while_encoding=self.publish_cut, finish=False)
        return not _failed(self.video)

    def _publish(
        self, kind: str, index: int, name: str, start: float, duration: float
    ) -> TranscodePart:
        part = TranscodePart.objects.filter(
            video=self.video, generation=self.video.generation, kind=kind, index=index
        ).first()
        if part is None:  # recorded only once its file is in storage
            key = f"{self.prefix}/{name}"
            storage_upload(storage=self.storage, path=self.folder / name, name=key)
            self.renew()
            part = TranscodePart.objects.create(
                video=self.video,
                generation=self.video.generation,
                kind=kind,
                index=index,
                start=start,
                duration=duration,
                source_key=key,
            )
        return part


def parts_enqueue(*, video: Video) -> None:
    """Queue every unfinished part; when every part is already done, finish the video here."""
    pending = list(
        TranscodePart.objects.filter(video=video, generation=video.generation, done=False)
    )
    if not pending:
        parts_finish(video=video)
        return
    for part in sorted(pending, key=_queue_order):
        transaction.on_commit(lambda pk=part.pk: video_part_enqueue(pk), robust=True)


def _queue_order(part: TranscodePart) -> tuple[int, int]:
    """The short first chunk, the sound, then the other chunks in order: two workers make the
    start playable together, and a single one within seconds of starting."""
    if part.kind == Kind.AUDIO:
        return (1, 0)
    return (0, 0) if part.index == 0 else (2, part.index)


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
    _video_fail(video, Reason("database_error", {"detail": str(error)[:200]}), repr(error))


def _part_encode(
    part: TranscodePart, video: Video, renew: LeaseRenewer, while_encoding: Callable[[], object]
) -> None:
    if part.attempts >= settings.PLAYBACK_MAX_ATTEMPTS:
        _video_fail(video, Reason("attempts_exhausted", {"attempts": part.attempts}))
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
            _video_fail(video, Reason("source_missing"))
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
            _video_fail(video, reason, detail)
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


def _video_fail(video: Video, reason: Reason, detail: str = "") -> None:
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
