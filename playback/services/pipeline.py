"""The whole way from an uploaded file to a published HLS ladder, safe to run again."""

import logging
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.db import transaction
from django.utils import timezone

from ..ladder import ladder_for_source
from ..models import Rendition, Video
from ..reasons import Reason
from . import stills
from .ffmpeg import FfmpegError, FfmpegTimeout
from .leases import LeaseRenewer, video_lease_release, video_lease_take
from .probing import SourceRejected, source_probe, source_validate
from .publishing import PLAYLIST_NAME, StreamResult
from .states import (
    video_fail,
    video_mark_ready,
    video_reject,
    video_resume_transcoding,
    video_start_probing,
    video_start_transcoding,
)
from .transcoding import hls_transcode

logger = logging.getLogger(__name__)
State = Video.State
PROGRESS_WRITE_SECONDS = 2.0


def video_storage():
    return storages["videos"]


@contextmanager
def _scratch(video: Video):
    root = Path(settings.PLAYBACK_SCRATCH_DIR or Path(tempfile.gettempdir()) / "leerstroom")
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{video.uuid}-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _source_to_scratch(video: Video, scratch: Path, renew: LeaseRenewer) -> Path | None:
    """A local copy of the upload: ffmpeg only ever reads local files."""
    if not video.source or not default_storage.exists(video.source.name):
        return None
    target = scratch / "source"
    with default_storage.open(video.source.name, "rb") as remote, open(target, "wb") as local:
        while block := remote.read(8 * 1024 * 1024):
            local.write(block)
            renew()
    return target


class VideoBusy(Exception):
    """Another worker holds this video's lease; try again when it runs out."""


def video_process(*, video: Video) -> Video:
    """Probe, validate, transcode and publish; a video already final is left as it is.

    Raises VideoBusy while another worker is processing the same video.
    """
    video.refresh_from_db()
    if video.state in (State.READY, State.REJECTED, State.FAILED):
        return video
    if not video_lease_take(video=video):
        raise VideoBusy(video.pk)
    try:
        return _process(video, LeaseRenewer(video))
    finally:
        video_lease_release(video=video)


def _process(video: Video, renew: LeaseRenewer) -> Video:
    if video.attempts >= settings.PLAYBACK_MAX_ATTEMPTS:
        return video_fail(
            video=video,
            reason=Reason("attempts_exhausted", {"attempts": video.attempts}),
            detail=video.error_detail,
        )
    with _scratch(video) as scratch:
        source = _source_to_scratch(video, scratch, renew)
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
        return _transcode_and_publish(video, source, scratch, renew)


def _transcode_and_publish(video: Video, source: Path, scratch: Path, renew: LeaseRenewer) -> Video:
    rungs = ladder_for_source(width=video.width, height=video.height)
    last_write = {"at": 0.0}

    def on_progress(percent: float) -> None:
        renew()
        now = time.monotonic()
        if now - last_write["at"] >= PROGRESS_WRITE_SECONDS:
            Video.objects.filter(pk=video.pk).update(progress=round(percent, 1))
            last_write["at"] = now

    def on_playable() -> None:
        first_time = Video.objects.filter(pk=video.pk, published_generation__isnull=True)
        first_time.update(published_generation=video.generation)
        Video.objects.filter(pk=video.pk, playable_at__isnull=True).update(
            playable_at=timezone.now()
        )

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
            on_playable=on_playable,
        )
    except FfmpegTimeout as exc:
        minutes = round(video.duration * settings.PLAYBACK_TIMEOUT_SECONDS_PER_VIDEO_SECOND / 60)
        return video_fail(
            video=video, reason=Reason("timeout", {"minutes": minutes}), detail=exc.stderr
        )
    except FfmpegError as exc:
        detail = exc.stderr.strip().splitlines()[-1] if exc.stderr.strip() else str(exc)
        return video_fail(
            video=video, reason=Reason("transcode_error", {"detail": detail}), detail=exc.stderr
        )

    _stills_make(video, source, scratch / "hls" / rungs[0].name)
    previous = video.published_generation
    with transaction.atomic():
        renditions_record(video=video, results=results)
        video = video_mark_ready(video=video)
    if previous and previous != video.generation:
        generation_delete(video=video, generation=previous)
    return video


def _stills_make(video: Video, source: Path, lowest_rung: Path) -> None:
    """Poster and seek thumbnails; a video plays without them, so a failure here is logged.

    The poster is one frame of the source; the thumbnails come from the lowest rung, which is
    far cheaper to decode than the source.
    """
    scratch = lowest_rung.parent.parent
    try:
        if video.poster_id is None:
            poster = stills.poster_render(
                source=source, target=scratch / "poster.jpg", duration=video.duration,
                width=video.width,
            )  # fmt: skip
            image = stills.poster_image_create(title=video.title, path=poster)
            Video.objects.filter(pk=video.pk).update(poster=image)
            video.poster = image
        small = stills.rung_file_join(folder=lowest_rung, target=scratch / "lowest.mp4")
        sprite, tile_width, tile_height = stills.sprite_render(
            source=small, target=scratch / "sprite.jpg", duration=video.duration
        )
        vtt = stills.thumbnails_vtt(
            duration=video.duration,
            tile_width=tile_width,
            tile_height=tile_height,
            sprite_uri="sprite.jpg",
        )
        stills.stills_publish(
            storage=video_storage(), prefix=video.storage_prefix, sprite=sprite, vtt=vtt
        )
    except Exception:
        logger.exception("stills for video %s could not be made", video.pk)


def renditions_record(*, video: Video, results: list[StreamResult]) -> None:
    for result in results:
        Rendition.objects.update_or_create(
            video=video,
            generation=video.generation,
            name=result.spec.name,
            defaults={
                "kind": "audio" if result.spec.is_audio else "video",
                "width": result.spec.width or None,
                "height": result.spec.height or None,
                "codecs": result.codecs,
                "bandwidth": result.bandwidth,
                "average_bandwidth": result.average_bandwidth,
                "segment_count": result.segment_count,
                "playlist_path": f"{video.storage_prefix}/{result.spec.name}/{PLAYLIST_NAME}",
                "complete": True,
            },
        )


def generation_delete(*, video: Video, generation: int) -> None:
    """Remove an older generation's files once the new one is live."""
    storage = video_storage()
    prefix = f"videos/{video.uuid}/hls/{generation}"
    _delete_tree(storage, prefix)
    Rendition.objects.filter(video=video, generation=generation).delete()


def _delete_tree(storage, prefix: str) -> None:
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        storage.delete(f"{prefix}/{name}")
    for folder in folders:
        _delete_tree(storage, f"{prefix}/{folder}")
