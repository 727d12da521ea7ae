"""Publishing the encoder's output to storage while it is still encoding.

A segment is copied to storage only once ffmpeg lists it in its own playlist (it writes a
segment completely before listing it), and a playlist in storage only ever lists segments that
are already there. The multivariant playlist appears once every stream has its first segment.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile, File

from .hls import (
    MediaPlaylist,
    Variant,
    master_playlist_render,
    media_playlist_parse,
    media_playlist_render,
    variants_in_preferred_order,
)

AUDIO_STREAM = "audio"
MASTER_NAME = "master.m3u8"
PLAYLIST_NAME = "index.m3u8"


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


def avc_codecs_from_init(data: bytes) -> str:
    """The RFC 6381 codec string (avc1.PPCCLL) from the avcC box of an fMP4 init segment."""
    position = data.find(b"avcC")
    if position < 0 or len(data) < position + 8:
        return "avc1.640028"
    profile, compatibility, level = data[position + 5 : position + 8]
    return f"avc1.{profile:02x}{compatibility:02x}{level:02x}"


class HlsPublisher:
    def __init__(
        self,
        *,
        storage,
        prefix: str,
        scratch: Path,
        streams: list[StreamSpec],
        frame_rate: float,
        segment_seconds: int,
        on_playable: Callable[[], None],
    ):
        self.storage = storage
        self.prefix = prefix
        self.scratch = scratch
        self.streams = streams
        self.frame_rate = frame_rate
        self.segment_seconds = segment_seconds
        self.on_playable = on_playable
        self.published: dict[str, list[tuple[str, float]]] = {s.name: [] for s in streams}
        self.init_published: dict[str, str] = {}
        self.codecs: dict[str, str] = {}
        self.master_published = False

    # --- while encoding ------------------------------------------------------------------

    def sync(self, *, final: bool = False) -> None:
        for spec in self.streams:
            local = self._local_playlist(spec.name)
            if local is None:
                continue
            # ffmpeg lists a sliding window of its newest segments; anything not seen is new.
            seen = {name for name, _seconds in self.published[spec.name]}
            new_segments = [(n, s) for n, s in local.segments if n not in seen]
            if local.init and spec.name not in self.init_published:
                self._upload_file(spec.name, local.init)
                self.init_published[spec.name] = local.init
                init_bytes = (self.scratch / spec.name / local.init).read_bytes()
                self.codecs[spec.name] = (
                    "mp4a.40.2" if spec.is_audio else avc_codecs_from_init(init_bytes)
                )
            for name, seconds in new_segments:
                self._upload_file(spec.name, name)
                self.published[spec.name].append((name, seconds))
            if new_segments or final:
                self._write(
                    f"{spec.name}/{PLAYLIST_NAME}",
                    media_playlist_render(
                        init=self.init_published.get(spec.name),
                        segments=self.published[spec.name],
                        final=final,
                        target_duration=self.segment_seconds,
                    ),
                )
        if not self.master_published and all(self.published.values()):
            self._write(MASTER_NAME, self._master(self._estimated()))
            self.master_published = True
            self.on_playable()

    # --- at the end ------------------------------------------------------------------------

    def finish(self) -> list[StreamResult]:
        """Publish what is left, close every playlist, and declare measured bit rates."""
        self.sync(final=True)
        results = [self._measure(spec) for spec in self.streams]
        self._write(MASTER_NAME, self._master(results))
        return results

    # --- helpers ---------------------------------------------------------------------------

    def _local_playlist(self, stream: str) -> MediaPlaylist | None:
        path = self.scratch / stream / PLAYLIST_NAME
        try:
            return media_playlist_parse(path.read_text())
        except FileNotFoundError:
            return None

    def _upload_file(self, stream: str, name: str) -> None:
        with open(self.scratch / stream / name, "rb") as handle:
            self.storage.save(f"{self.prefix}/{stream}/{name}", File(handle))

    def _write(self, name: str, text: str) -> None:
        self.storage.save(f"{self.prefix}/{name}", ContentFile(text.encode()))

    def _estimated(self) -> list[StreamResult]:
        return [
            StreamResult(
                spec=spec,
                codecs=self.codecs.get(spec.name, ""),
                bandwidth=spec.estimated_kbps * 1000,
                average_bandwidth=spec.estimated_kbps * 1000,
                segment_count=len(self.published[spec.name]),
            )
            for spec in self.streams
        ]

    def _measure(self, spec: StreamSpec) -> StreamResult:
        rates, total_bits, total_seconds = [], 0, 0.0
        for name, seconds in self.published[spec.name]:
            bits = (self.scratch / spec.name / name).stat().st_size * 8
            total_bits += bits
            total_seconds += seconds
            if seconds > 0:
                rates.append(bits / seconds)
        return StreamResult(
            spec=spec,
            codecs=self.codecs.get(spec.name, ""),
            bandwidth=math.ceil(max(rates, default=0)),
            average_bandwidth=math.ceil(total_bits / total_seconds) if total_seconds else 0,
            segment_count=len(self.published[spec.name]),
        )

    def _master(self, results: list[StreamResult]) -> str:
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
                frame_rate=self.frame_rate,
            )
            for r in results
            if not r.spec.is_audio
        ]
        return master_playlist_render(
            variants=variants_in_preferred_order(variants),
            audio_uri=f"{AUDIO_STREAM}/{PLAYLIST_NAME}" if audio else None,
        )
