"""Cutting a long video into parts, on the worker that probed it (see ``chunked``).

The cutter copies the picture into chunks at the source's keyframes, beside this worker; each
chunk is stored, recorded and queued as soon as it is written, the short first one first, and
meanwhile this worker encodes the sound's part itself. ``Video.parts_cut_generation`` records
that the cut reached the end: until then nobody finishes the video.

The first chunk is what makes the video playable, so while another worker encodes it the rest
waits: the cut is held (``CutHold``) and the cutting and the sound run below an encode's
priority (``ffmpeg_in_background``). Writing the whole source to disk again and encoding its
sound would otherwise take half the machine from the first part.
"""

import contextlib
import csv
import logging
import time
from pathlib import Path

import ffmpeg
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..layout import parts_prefix
from ..models import TranscodePart, Video
from ..reasons import Reason
from .chunked import PartBusy, part_process, video_fail_with_parts
from .ffmpeg import FfmpegError, FfmpegProcess, ffmpeg_in_background, ffmpeg_run, input_options
from .leases import LeaseRenewer
from .queue import video_part_enqueue
from .stitching import parts_finish
from .transcoding import encode_timeout, failure_reason
from .workspace import storage_upload, video_storage

logger = logging.getLogger(__name__)
Kind = TranscodePart.Kind
CUT_POLL_SECONDS = 0.2  # how soon a chunk the cutter has written is queued
# A first chunk ending this close to the end of the source is the whole source.
WHOLE_SOURCE_SLACK_SECONDS = 1.0


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
        with ffmpeg_in_background():
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
        video_fail_with_parts(video, reason, detail)
        return True
    if _failed(video):
        return True
    if publisher.publish_cut(final=True) < 2:
        return False
    with ffmpeg_in_background():
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
    publisher.hold = CutHold(cutter=cutter, video=video)
    try:
        while cutter.alive():
            publisher.publish_cut()
            # Publishing goes on while the sound is encoded: the cutter does not wait for it.
            if not publisher.sound_encode():
                return  # the video failed: no use cutting on
            cutter.wait(CUT_POLL_SECONDS)
    finally:
        publisher.hold = None
        cutter.stop()
    cutter.check()


class CutHold:
    """Holds the cutter while another worker encodes the first chunk, until the video is
    playable, so that worker has the machine; at most ``PLAYBACK_CUT_HOLD_SECONDS``. Until a
    worker takes the chunk (or with every worker busy, never) the cut goes on."""

    def __init__(self, *, cutter: FfmpegProcess, video: Video):
        self.cutter, self.video = cutter, video
        self.since: float | None = None
        self.over = False

    def step(self, *, first_queued: bool) -> None:
        """Called as the cut goes on: hold, or let go."""
        if self.over or not first_queued:
            return
        if self.since is None:
            state = self._first_chunk()
            if state == "encoding":
                self.since = time.monotonic()
                self.cutter.pause()
            self.over = state == "done"
            return
        held = time.monotonic() - self.since
        if held >= settings.PLAYBACK_CUT_HOLD_SECONDS or self._first_chunk() != "encoding":
            self.over = True
            self.cutter.resume()

    def _first_chunk(self) -> str:
        """The first chunk's state: queued, encoding (a worker holds its lease), or done (also
        once the video is playable)."""
        if Video.objects.filter(pk=self.video.pk, playable_at__isnull=False).exists():
            return "done"
        leased_until, done = (
            TranscodePart.objects.filter(
                video=self.video, generation=self.video.generation, kind=Kind.VIDEO, index=0
            )
            .values_list("lease_expires_at", "done")
            .first()
        ) or (None, True)
        if done:
            return "done"
        return "encoding" if leased_until and leased_until > timezone.now() else "queued"


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
        self.hold: CutHold | None = None

    @property
    def started(self) -> bool:
        return self.published > 0

    def publish_cut(self, *, final: bool = False) -> int:
        """Publish the chunks listed since the last call; the number listed in all."""
        self.renew()
        chunks = chunk_list_read(self.folder / "chunks.csv")
        if final and len(chunks) < 2:
            return len(chunks)
        whole = (self.video.duration or 0) - WHOLE_SOURCE_SLACK_SECONDS
        if len(chunks) == 1 and chunks[0][2] >= whole:
            # The first chunk is the whole source (one keyframe): it is encoded in one go, which
            # is decided once the cutter is done, not queued as a part now.
            return len(chunks)
        for index in range(self.published, len(chunks)):
            name, start, end = chunks[index]
            part = self._publish(Kind.VIDEO, index, name, start, max(0.0, end - start))
            if not part.done:
                transaction.on_commit(lambda pk=part.pk: video_part_enqueue(pk), robust=True)
            if index == 0 and self.video.has_audio:
                self.sound = self._publish(Kind.AUDIO, 0, "audio.mka", 0.0, self.video.duration)
            self.published = index + 1
        if self.hold is not None:
            self.hold.step(first_queued=self.published > 0)
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
