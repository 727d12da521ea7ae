"""A ladder that already exists in storage becomes a video without a new transcode: a live
webinar's closed playlists are its replay (decision 17). The video is made ready at once and
delivered from the folder it was recorded in; trimming it rewrites its playlists over the same
segments, and the recording's manifest keeps the whole of it to trim again from."""

import logging
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from catalog import api as catalog_api

from ..layout import MASTER_NAME
from ..models import Rendition, Video
from .live_playlists import (
    live_playlists_close,
    manifest_read,
    recording_seconds,
)
from .stills import poster_image_create, poster_render
from .workspace import video_storage

logger = logging.getLogger(__name__)

_ATTRIBUTE = re.compile(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)')
AUDIO_STREAM = "audio"
MIN_TRIMMED_SECONDS = 10


class RecordingRangeError(ValueError):
    """A trim that would leave no sensible recording."""


@dataclass(frozen=True)
class RecordingData:
    video_id: int
    duration: float
    width: int
    height: int


@dataclass(frozen=True)
class _Variant:
    name: str
    width: int
    height: int
    codecs: str
    bandwidth: int
    average_bandwidth: int
    frame_rate: float


def _master_variants(text: str) -> list[_Variant]:
    variants, attributes = [], None
    for line in text.splitlines():
        if line.startswith("#EXT-X-STREAM-INF:"):
            attributes = {k: v.strip('"') for k, v in _ATTRIBUTE.findall(line.split(":", 1)[1])}
        elif attributes is not None and line and not line.startswith("#"):
            width, _x, height = attributes.get("RESOLUTION", "0x0").partition("x")
            video_codec = attributes.get("CODECS", "").split(",")[0]
            variants.append(
                _Variant(
                    name=line.split("/")[0],
                    width=int(width),
                    height=int(height),
                    codecs=video_codec,
                    bandwidth=int(attributes.get("BANDWIDTH", 0)),
                    average_bandwidth=int(attributes.get("AVERAGE-BANDWIDTH", 0)),
                    frame_rate=float(attributes.get("FRAME-RATE", 0)),
                )
            )
            attributes = None
    return variants


@transaction.atomic
def video_recording_register(*, title: str, folder: str) -> RecordingData | None:
    """The video of the closed ladder in ``folder`` (master.m3u8, <rung>/index.m3u8), ready
    now; the same video again when called twice. None when nothing was recorded."""
    existing = Video.objects.filter(recorded_folder=folder).first()
    if existing is not None:
        return _data(existing)
    storage = video_storage()
    manifest = manifest_read(storage, folder)
    if not storage.exists(f"{folder}/{MASTER_NAME}") or not any(manifest.values()):
        return None
    with storage.open(f"{folder}/{MASTER_NAME}") as handle:
        variants = _master_variants(handle.read().decode())
    if not variants:
        return None
    top = max(variants, key=lambda v: v.height)
    now = timezone.now()
    # Created ready: nothing is probed or transcoded, so the state machine's working states
    # are never entered.
    video = Video.objects.create(
        title=title[:255],
        recorded_folder=folder,
        state=Video.State.READY,
        progress=100,
        published_generation=1,
        duration=recording_seconds(storage=storage, prefix=folder),
        width=top.width,
        height=top.height,
        frame_rate=top.frame_rate,
        has_audio=AUDIO_STREAM in manifest,
        playable_at=now,
        ready_at=now,
    )
    for variant in variants:
        _rendition_record(video, variant.name, len(manifest.get(variant.name, [])), variant)
    if AUDIO_STREAM in manifest:
        _rendition_record(video, AUDIO_STREAM, len(manifest[AUDIO_STREAM]), None)
    transaction.on_commit(_durations_refresher(video.pk), robust=True)
    return _data(video)


def _rendition_record(video: Video, name: str, segment_count: int, variant) -> None:
    Rendition.objects.get_or_create(
        video=video,
        generation=video.generation,
        name=name,
        defaults={
            "kind": "video" if variant else "audio",
            "width": variant.width if variant else None,
            "height": variant.height if variant else None,
            "codecs": variant.codecs if variant else "mp4a.40.2",
            "bandwidth": variant.bandwidth if variant else 0,
            "average_bandwidth": variant.average_bandwidth if variant else 0,
            "segment_count": segment_count,
            "playlist_path": f"{video.recorded_folder}/{name}/index.m3u8",
            "complete": True,
        },
    )


def _data(video: Video) -> RecordingData:
    return RecordingData(video.pk, video.duration or 0.0, video.width or 0, video.height or 0)


def _durations_refresher(video_id: int):
    def refresh() -> None:
        catalog_api.course_durations_refresh(video_id=video_id)

    return refresh


def recording_length(*, video_id: int) -> float:
    """The whole recording's seconds, however it is trimmed now."""
    video = Video.objects.only("recorded_folder").get(pk=video_id)
    return recording_seconds(storage=video_storage(), prefix=video.recorded_folder)


@transaction.atomic
def video_recording_trim(*, video_id: int, start: float, end: float) -> float:
    """Play only ``start``–``end`` seconds of the recording: its playlists are rewritten over
    the segments in that range (none is touched). Returns the new duration."""
    video = Video.objects.select_for_update().get(pk=video_id, recorded_folder__gt="")
    length = recording_length(video_id=video.pk)
    if end <= start or start < 0 or end > length + 0.5 or end - start < MIN_TRIMMED_SECONDS:
        raise RecordingRangeError(f"{start}–{end} of {length} seconds")
    duration = live_playlists_close(
        storage=video_storage(), prefix=video.recorded_folder, start=start, end=end
    )
    Video.objects.filter(pk=video.pk).update(duration=duration, updated_at=timezone.now())
    transaction.on_commit(_durations_refresher(video.pk), robust=True)
    return duration


def video_recording_poster(*, video_id: int) -> None:
    """A poster from the top rung's segment a tenth into the recording; never fatal, and
    skipped where an editor chose one."""
    video = Video.objects.get(pk=video_id)
    if video.poster_id is not None or not video.recorded_folder:
        return
    storage = video_storage()
    top = video.renditions.filter(kind="video").order_by("-height").first()
    segments = manifest_read(storage, video.recorded_folder).get(top.name if top else "", [])
    if not segments:
        return
    segment = segments[min(len(segments) - 1, len(segments) // 10)]
    try:
        with tempfile.TemporaryDirectory() as scratch:
            source = Path(scratch) / "segment.mp4"
            with open(source, "wb") as out:
                for uri in (segment.init, segment.uri):
                    with storage.open(f"{video.recorded_folder}/{top.name}/{uri}") as handle:
                        out.write(handle.read())
            poster = poster_render(
                source=source,
                target=Path(scratch) / "poster.jpg",
                duration=segment.seconds,
                width=video.width or top.width,
                height=video.height or top.height,
            )
            image = poster_image_create(title=video.title, path=poster)
        Video.objects.filter(pk=video.pk, poster__isnull=True).update(poster=image)
    except Exception:
        logger.exception("no poster could be made for recording %s", video.pk)
