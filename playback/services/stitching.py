"""Stitching a long video's parts into one presentation, and finishing it.

Each part records the segments it has put in storage (``TranscodePart.streams``). The
playlists viewers get are written from those records, one writer at a time under a row lock on
the video: every segment up to the first part that is not finished, so a playlist only grows
and never names a missing file. The worker that finishes the last part closes the playlists,
declares the bit rates measured over every part and marks the video ready.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from ..ladder import ladder_for_source
from ..layout import MASTER_NAME, PLAYLIST_NAME, parts_prefix
from ..models import TranscodePart, Video
from .hls import media_playlist_render
from .iframes import IFrame, iframes_collect
from .publishing import (
    AUDIO_STREAM,
    Segment,
    StreamResult,
    master_render,
    result_with_iframes,
    stream_result_estimate,
    stream_result_measure,
)
from .renditions import generation_delete, renditions_record, video_mark_playable
from .states import video_mark_ready
from .stills import video_thumbnails_make
from .transcoding import stream_specs
from .workspace import scratch_folder, storage_delete_tree, storage_download, video_storage

Kind = TranscodePart.Kind


def playlists_publish(*, video: Video, final: bool = False) -> list[StreamResult]:
    """Write every stream's playlist, stitched from the parts, and the multivariant playlist
    once every stream has a segment. One writer at a time, so a playlist never shrinks."""
    with transaction.atomic():
        video = Video.objects.select_for_update().get(pk=video.pk)
        parts = list(TranscodePart.objects.filter(video=video, generation=video.generation))
        return _playlists_write(video, parts, final=final)


def _playlists_write(
    video: Video, parts: list[TranscodePart], *, final: bool
) -> list[StreamResult]:
    storage = video_storage()
    rungs = ladder_for_source(width=video.width, height=video.height)
    has_audio = any(p.kind == Kind.AUDIO for p in parts)
    results = []
    for spec in stream_specs(rungs=rungs, has_audio=has_audio):
        kind = Kind.AUDIO if spec.name == AUDIO_STREAM else Kind.VIDEO
        stitched = stream_stitch(
            spec.name, sorted((p for p in parts if p.kind == kind), key=lambda p: p.index)
        )
        if stitched.segments:
            text = media_playlist_render(
                init=stitched.init,
                segments=[(name, seconds) for name, seconds, _size in stitched.segments],
                final=final,
                target_duration=settings.PLAYBACK_SEGMENT_SECONDS,
                init_changes=stitched.init_changes,
            )
            _write(storage, f"{video.storage_prefix}/{spec.name}/{PLAYLIST_NAME}", text)
        if final:
            result = stream_result_measure(
                spec=spec,
                codecs=stitched.codecs,
                segments=stitched.segments,
                segment_seconds=settings.PLAYBACK_SEGMENT_SECONDS,
            )
            result = result_with_iframes(
                result,
                write=lambda name, text: _write(storage, f"{video.storage_prefix}/{name}", text),
                iframes=stitched.iframes,
            )
            results.append(result)
        else:
            results.append(
                stream_result_estimate(
                    spec=spec, codecs=stitched.codecs, segment_count=len(stitched.segments)
                )
            )
    if all(result.segment_count for result in results):
        master = master_render(results=results, frame_rate=video.frame_rate)
        _write(storage, f"{video.storage_prefix}/{MASTER_NAME}", master)
        video_mark_playable(video=video)
    return results


class Stitched:
    def __init__(self):
        self.init: str | None = None
        self.init_changes: dict[int, str] = {}
        self.codecs = ""
        self.segments: list[Segment] = []
        self.iframes: list[IFrame] | None = []  # None: a part did not record its keyframes


def stream_stitch(stream: str, parts: list[TranscodePart]) -> Stitched:
    """One stream's segments across parts in order, up to and including the first part that
    is not finished. A part whose initialization section differs starts with its own."""
    stitched, digest, current = Stitched(), None, None
    for part in parts:
        entry = part.streams.get(stream)
        if entry:
            init = f"{part.folder}/{entry['init']}"
            if stitched.init is None:
                stitched.init, digest, stitched.codecs = init, entry["init_sha"], entry["codecs"]
                current = init
            elif entry["init_sha"] != digest:
                stitched.init_changes[len(stitched.segments)] = init
                digest, current = entry["init_sha"], init
            stitched.segments += [
                (f"{part.folder}/{name}", seconds, size)
                for name, seconds, size in entry["segments"]
            ]
            found = iframes_collect(
                init=current,
                segments=[name for name, _seconds, _size in entry["segments"]],
                recorded=entry.get("keyframes", {}),
                folder=part.folder,
            )
            if found is None or stitched.iframes is None:
                stitched.iframes = None
            else:
                stitched.iframes += found
        if not part.done:
            break
    return stitched


def parts_finish(*, video: Video) -> Video:
    """Once every part is done: close the playlists, record the renditions, mark it ready."""
    video.refresh_from_db()
    parts = TranscodePart.objects.filter(video=video, generation=video.generation)
    if video.state != Video.State.TRANSCODING or parts.filter(done=False).exists():
        return video
    if video.parts_cut_generation != video.generation:
        return video  # the source is still being cut: more parts are coming
    if not parts.exists():
        return video
    _thumbnails_make(video)
    with transaction.atomic():
        video = Video.objects.select_for_update().get(pk=video.pk)
        if video.state != Video.State.TRANSCODING:
            return video  # another worker finished it first
        previous = video.published_generation
        results = _playlists_write(video, list(parts), final=True)
        renditions_record(video=video, results=results)
        video = video_mark_ready(video=video)
    storage_delete_tree(video_storage(), parts_prefix(video.uuid, video.generation))
    if previous and previous != video.generation:
        generation_delete(video=video, generation=previous)
    return video


def _thumbnails_make(video: Video) -> None:
    """Seek thumbnails from the lowest rung, fetched back from storage in one local file."""
    rungs = ladder_for_source(width=video.width, height=video.height)
    lowest = rungs[0].name
    parts = TranscodePart.objects.filter(video=video, generation=video.generation, kind=Kind.VIDEO)
    stitched = stream_stitch(lowest, list(parts.order_by("index")))
    if not stitched.segments:
        return
    storage = video_storage()
    base = f"{video.storage_prefix}/{lowest}"
    with scratch_folder(video) as scratch:
        folder = scratch / lowest
        folder.mkdir()
        storage_download(
            storage=storage, name=f"{base}/{stitched.init}", target=folder / "init.mp4"
        )
        for number, (name, _seconds, _size) in enumerate(stitched.segments):
            storage_download(
                storage=storage, name=f"{base}/{name}", target=folder / f"seg_{number:05d}.m4s"
            )
        video_thumbnails_make(video=video, lowest_rung=folder, scratch=scratch)


def _write(storage, name: str, text: str) -> None:
    storage.save(name, ContentFile(text.encode()))
