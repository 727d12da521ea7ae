"""Publishing the encoder's output to storage while it is still encoding.

A segment is copied to storage only once ffmpeg lists it in its own playlist (it writes a
segment completely before listing it), and a playlist in storage only ever lists segments that
are already there. The multivariant playlist appears once every stream has its first segment.
"""

import dataclasses
import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile, File

from ..layout import IFRAMES_NAME, MASTER_NAME, PLAYLIST_NAME
from .ffmpeg import FfmpegError
from .fmp4 import fragments_prepend, init_split, segment_seconds, segments_join
from .hls import (
    SLIVER_SECONDS,
    MediaPlaylist,
    Variant,
    master_playlist_render,
    media_playlist_parse,
    media_playlist_render,
    peak_bit_rate,
    playlist_target_duration,
    variants_in_preferred_order,
)
from .iframes import IFrame, Recorded, iframes_collect, iframes_publish, segment_keyframes

AUDIO_STREAM = "audio"
AUDIO_CODECS = "mp4a.40.2"

# (file name, seconds, bytes)
Segment = tuple[str, float, int]


@dataclass
class StreamSpec:
    name: str
    width: int = 0
    height: int = 0
    estimated_kbps: int = 0  # declared until the real figures are measured at the end

    @property
    def is_audio(self) -> bool:
        return self.name == AUDIO_STREAM


@dataclass
class StreamResult:
    spec: StreamSpec
    codecs: str
    bandwidth: int
    average_bandwidth: int
    segment_count: int
    iframe_bandwidth: int = 0  # of its I-frame playlist, once there is one
    iframe_average_bandwidth: int = 0


def avc_codecs_from_init(data: bytes) -> str:
    """The RFC 6381 codec string (avc1.PPCCLL) from the avcC box of an fMP4 init segment."""
    position = data.find(b"avcC")
    if position < 0 or len(data) < position + 8:
        return "avc1.640028"
    profile, compatibility, level = data[position + 5 : position + 8]
    return f"avc1.{profile:02x}{compatibility:02x}{level:02x}"


def stream_result_measure(
    *, spec: StreamSpec, codecs: str, segments: list[Segment], segment_seconds: int
) -> StreamResult:
    """Peak (Apple's peak segment bit rate) and average bit rate, from the bytes written."""
    total_bits = sum(size * 8 for _name, _seconds, size in segments)
    total_seconds = sum(seconds for _name, seconds, _size in segments)
    target = playlist_target_duration([s for _n, s, _b in segments], segment_seconds)
    return StreamResult(
        spec=spec,
        codecs=codecs,
        bandwidth=peak_bit_rate([(s, b) for _n, s, b in segments], target_duration=target),
        average_bandwidth=math.ceil(total_bits / total_seconds) if total_seconds else 0,
        segment_count=len(segments),
    )


def result_with_iframes(result: StreamResult, *, write, iframes: list[IFrame] | None):
    """The stream's I-frame playlist written (when its keyframes are known), and its bit
    rates added to the result."""
    if not iframes:
        return result
    peak, average = iframes_publish(write=write, stream=result.spec.name, iframes=iframes)
    return dataclasses.replace(result, iframe_bandwidth=peak, iframe_average_bandwidth=average)


def stream_result_estimate(*, spec: StreamSpec, codecs: str, segment_count: int) -> StreamResult:
    """What a stream is declared as while it is still being encoded: the ladder's target."""
    rate = spec.estimated_kbps * 1000
    return StreamResult(spec, codecs, rate, rate, segment_count)


def master_render(*, results: list[StreamResult], frame_rate: float) -> str:
    audio = next((r for r in results if r.spec.is_audio), None)
    extra_peak = audio.bandwidth if audio else 0
    extra_average = audio.average_bandwidth if audio else 0
    variants = [
        Variant(
            uri=f"{r.spec.name}/{PLAYLIST_NAME}",
            bandwidth=r.bandwidth + extra_peak,
            average_bandwidth=r.average_bandwidth + extra_average,
            codecs=r.codecs,
            width=r.spec.width,
            height=r.spec.height,
            frame_rate=frame_rate,
        )
        for r in results
        if not r.spec.is_audio
    ]
    iframe_variants = [
        Variant(
            uri=f"{r.spec.name}/{IFRAMES_NAME}",
            bandwidth=r.iframe_bandwidth,
            average_bandwidth=r.iframe_average_bandwidth,
            codecs=r.codecs,
            width=r.spec.width,
            height=r.spec.height,
            frame_rate=0,
        )
        for r in results
        if r.iframe_bandwidth
    ]
    return master_playlist_render(
        variants=variants_in_preferred_order(variants),
        audio_uri=f"{AUDIO_STREAM}/{PLAYLIST_NAME}" if audio else None,
        iframe_variants=iframe_variants,
    )


class SegmentUploader:
    """Copies what ffmpeg has finished to storage: each stream's init segment, then its media
    segments in order, into ``<prefix>/<stream>/<folder>``.

    A segment that ends within SLIVER_SECONDS of ``expected_seconds`` (how long the encoded
    input lasts) is held back until the encoder is done, so that a sliver after it (ffmpeg
    starts a segment at a keyframe in the last frames, or cuts the sound just before its end)
    is joined to it instead of standing alone: see _sliver_joined.
    """

    def __init__(
        self,
        *,
        storage,
        prefix: str,
        scratch: Path,
        streams: list[StreamSpec],
        folder="",
        expected_seconds: float = math.inf,
    ):
        self.storage = storage
        self.prefix = prefix
        self.scratch = scratch
        self.streams = streams
        self.folder = f"{folder}/" if folder else ""
        self.expected_seconds = expected_seconds
        self.published: dict[str, list[Segment]] = {s.name: [] for s in streams}
        self.held: dict[str, list[tuple[str, float]]] = {s.name: [] for s in streams}
        # Per picture stream, per published segment: its keyframes (see iframes).
        self.keyframes: dict[str, dict[str, Recorded]] = {
            s.name: {} for s in streams if not s.is_audio
        }
        self.init_checked: set[str] = set()  # this encoder's init files, see _init_repair
        self.init_published: dict[str, str] = {}
        self.init_digest: dict[str, str] = {}
        self.codecs: dict[str, str] = {}

    def upload_new(self, *, done: bool = False) -> dict[str, list[Segment]]:
        """Upload what ffmpeg has finished since the last call (all of it once ``done``);
        returns it per stream."""
        new: dict[str, list[Segment]] = {}
        for spec in self.streams:
            local = self._local_playlist(spec.name)
            if local is None:
                continue
            if local.init and local.segments and spec.name not in self.init_checked:
                self._init_repair(spec.name, local)
            if local.init and spec.name not in self.init_published:
                init_bytes = (self.scratch / spec.name / local.init).read_bytes()
                self._upload_file(spec.name, local.init)
                self.init_published[spec.name] = local.init
                self.init_digest[spec.name] = hashlib.sha256(init_bytes).hexdigest()
                self.codecs[spec.name] = (
                    AUDIO_CODECS if spec.is_audio else avc_codecs_from_init(init_bytes)
                )
            # ffmpeg lists a sliding window of its newest segments; anything not seen is new.
            seen = {name for name, _seconds, _size in self.published[spec.name]}
            seen.update(name for name, _seconds in self.held[spec.name])
            fresh = [(n, s) for n, s in local.segments if n not in seen]
            missed = local.media_sequence - (len(seen) - (len(local.segments) - len(fresh)))
            if fresh and missed > 0:
                # A fast encoder can finish segments quicker than they are looked for.
                fresh = self._window_missed(spec.name, first=fresh[0][0], count=missed) + fresh
            ready = self._releasable(spec.name, self.held[spec.name] + fresh, done=done)
            for name, seconds in ready:
                size = self._upload_file(spec.name, name)
                self.published[spec.name].append((name, seconds, size))
                if spec.name in self.keyframes:
                    self.keyframes[spec.name][name] = self._keyframes(spec.name, name)
            if ready:
                new[spec.name] = self.published[spec.name][-len(ready) :]
        return new

    def _releasable(
        self, stream: str, pending: list[tuple[str, float]], *, done: bool
    ) -> list[tuple[str, float]]:
        """The pending segments that may be published now; the others stay held."""
        if done:
            self.held[stream] = []
            return self._sliver_joined(stream, pending)
        end = sum(seconds for _name, seconds, _size in self.published[stream])
        for index, (_name, seconds) in enumerate(pending):
            end += seconds
            if self.expected_seconds - end < SLIVER_SECONDS:
                self.held[stream] = pending[index:]
                return pending[:index]
        self.held[stream] = []
        return pending

    def _sliver_joined(
        self, stream: str, pending: list[tuple[str, float]]
    ) -> list[tuple[str, float]]:
        """A last segment shorter than SLIVER_SECONDS joined to the held one before it: its
        fragments follow that segment's in one file. Alone, it would play a blink, and its
        bit rate (a keyframe, or the boxes around a few audio frames, in hundredths of a
        second) would stand out far above the stream's."""
        if len(pending) < 2 or pending[-1][1] >= SLIVER_SECONDS:
            return pending
        (first, first_seconds), (last, last_seconds) = pending[-2:]
        folder = self.scratch / stream
        joined = segments_join((folder / first).read_bytes(), (folder / last).read_bytes())
        (folder / first).write_bytes(joined)
        (folder / last).unlink()  # what stays in scratch (seek thumbnails) is what is published
        return [*pending[:-2], (first, first_seconds + last_seconds)]

    def _init_repair(self, stream: str, local: MediaPlaylist) -> None:
        """Fragments ffmpeg left in this encoder's init file go back to the first segment,
        before either is published (see fmp4.init_split)."""
        self.init_checked.add(stream)
        folder = self.scratch / stream
        init, fragments = init_split((folder / local.init).read_bytes())
        if not fragments:
            return
        if local.media_sequence:
            raise FfmpegError(f"the first segment of {stream} left ffmpeg's list unrepaired")
        first = folder / local.segments[0][0]
        first.write_bytes(fragments_prepend(first.read_bytes(), fragments))
        (folder / local.init).write_bytes(init)

    def _keyframes(self, stream: str, name: str) -> Recorded:
        folder = self.scratch / stream
        init = (folder / self.init_published[stream]).read_bytes()
        return segment_keyframes((folder / name).read_bytes(), init)

    def _window_missed(self, stream: str, *, first: str, count: int) -> list[tuple[str, float]]:
        """The segments before ``first`` that left ffmpeg's list unseen; their files remain."""
        number = re.search(r"(\d+)\.m4s$", first)
        if number is None:
            raise FfmpegError(f"segments of {stream} left ffmpeg's list unpublished")
        digits = number.group(1)
        init = (self.scratch / stream / self.init_published[stream]).read_bytes()
        missed = []
        for index in range(int(digits) - count, int(digits)):
            name = first[: number.start(1)] + f"{index:0{len(digits)}d}" + first[number.end(1) :]
            data = (self.scratch / stream / name).read_bytes()
            missed.append((name, segment_seconds(data, init)))
        return missed

    def _local_playlist(self, stream: str) -> MediaPlaylist | None:
        path = self.scratch / stream / PLAYLIST_NAME
        try:
            return media_playlist_parse(path.read_text())
        except FileNotFoundError:
            return None

    def _upload_file(self, stream: str, name: str) -> int:
        path = self.scratch / stream / name
        with open(path, "rb") as handle:
            self.storage.save(f"{self.prefix}/{stream}/{self.folder}{name}", File(handle))
        return path.stat().st_size

    def _write(self, name: str, text: str) -> None:
        self.storage.save(f"{self.prefix}/{name}", ContentFile(text.encode()))


class HlsPublisher(SegmentUploader):
    """One encoder's output as a complete HLS presentation: EVENT playlists while encoding,
    VOD playlists and a measured multivariant playlist at the end."""

    def __init__(
        self,
        *,
        frame_rate: float,
        segment_seconds: int,
        on_playable: Callable[[], None],
        **uploader,
    ):
        super().__init__(**uploader)
        self.frame_rate = frame_rate
        self.segment_seconds = segment_seconds
        self.on_playable = on_playable
        self.master_published = False

    def sync(self, *, final: bool = False) -> None:
        new = self.upload_new(done=final)
        for spec in self.streams:
            if spec.name in new or final:
                self._write(
                    f"{spec.name}/{PLAYLIST_NAME}",
                    media_playlist_render(
                        init=self.init_published.get(spec.name),
                        segments=[(n, s) for n, s, _size in self.published[spec.name]],
                        final=final,
                        target_duration=self.segment_seconds,
                    ),
                )
        if not self.master_published and all(self.published.values()):
            estimated = [
                stream_result_estimate(
                    spec=spec,
                    codecs=self.codecs.get(spec.name, ""),
                    segment_count=len(self.published[spec.name]),
                )
                for spec in self.streams
            ]
            self._write(MASTER_NAME, master_render(results=estimated, frame_rate=self.frame_rate))
            self.master_published = True
            self.on_playable()

    def finish(self) -> list[StreamResult]:
        """Publish what is left, close every playlist, write the I-frame playlists, and
        declare measured bit rates."""
        self.sync(final=True)
        results = []
        for spec in self.streams:
            result = stream_result_measure(
                spec=spec,
                codecs=self.codecs.get(spec.name, ""),
                segments=self.published[spec.name],
                segment_seconds=self.segment_seconds,
            )
            if spec.name in self.keyframes and spec.name in self.init_published:
                iframes = iframes_collect(
                    init=self.init_published[spec.name],
                    segments=[name for name, _s, _b in self.published[spec.name]],
                    recorded=self.keyframes[spec.name],
                )
                result = result_with_iframes(result, write=self._write, iframes=iframes)
            results.append(result)
        self._write(MASTER_NAME, master_render(results=results, frame_rate=self.frame_rate))
        return results
