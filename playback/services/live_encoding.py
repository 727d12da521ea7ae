"""The live ladder (decision 17): one encoder per publish reads the stream back from the ingest
server on this machine and writes the on-demand ladder's rungs in short segments; the publisher
copies each finished segment to storage and rewrites the live playlists after it.

A presenter who drops out and publishes again continues the same playlists: each publish writes
into a folder of its own (``p<n>/``), and the playlists mark the seam with a discontinuity and
the new init section. What has been published is kept in the manifest's pages beside the
playlists (``manifest/``), so an encoder that starts again knows what came before. The live
playlists list the last ``dvr_seconds`` and offer delta updates of their last seconds; closing
them lists every segment and ends them: that is the replay.
"""

import contextlib
import json
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings

from ..ladder import ladder_for_source
from ..layout import DELTA_PLAYLIST_NAME, MASTER_NAME, PLAYLIST_NAME
from .ffmpeg import FfmpegError, child_limits, ffmpeg_run
from .live_playlists import LiveSegment, live_playlist_render, manifest_read, manifest_write
from .probing import _display_size, _video_stream, output_frame_rate
from .publishing import SegmentUploader, master_render, stream_result_estimate
from .transcoding import (
    LIVE_ANALYZE_SECONDS,
    LiveInput,
    stream_folders_make,
    transcode_arguments,
)

# Stored segments kept in the encoder's scratch folder (to look at while it runs), per stream.
SCRATCH_KEPT_SEGMENTS = 30
DATE_LINE = re.compile(r"#EXT-X-PROGRAM-DATE-TIME:(\S+)\s*\n(?:#[^\n]*\n)*?([^#\s][^\n]*)")


class LiveSourceRefused(FfmpegError):
    """A stream the live ladder will not encode; ``code`` says why (NO_PICTURE, TOO_LARGE)."""

    NO_PICTURE = "no_picture"
    TOO_LARGE = "too_large"

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class LiveSource:
    width: int
    height: int
    frame_rate: float
    has_audio: bool


def live_probe(url: str, *, timeout: float = 20) -> LiveSource:
    """Size, frame rate and sound of the stream being published, read from the ingest."""
    command = [
        settings.FFPROBE_BINARY,
        "-v", "error",
        "-protocol_whitelist", "rtmp,tcp",
        "-format_whitelist", "flv,live_flv",
        "-rw_timeout", str(int(timeout * 1_000_000)),
        "-analyzeduration", str(LIVE_ANALYZE_SECONDS * 1_000_000),
        "-print_format", "json",
        "-show_streams",
        url,
    ]  # fmt: skip
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            timeout=timeout,
            preexec_fn=child_limits("live"),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise FfmpegError("the live stream gave no picture in time") from exc
    if result.returncode != 0:
        raise FfmpegError(
            "ffprobe failed on the live stream", result.stderr.decode(errors="replace")
        )
    probe = json.loads(result.stdout or b"{}")
    stream = _video_stream(probe)
    if stream is None:
        # A webinar is watched: sound alone is refused rather than shown as a black picture.
        raise LiveSourceRefused(LiveSourceRefused.NO_PICTURE, "the live stream has no picture")
    if not stream.get("width") or not stream.get("height"):
        # The picture is announced but none has arrived yet (a publisher whose picture lags
        # its sound, such as 4K on a slow machine): look again.
        raise FfmpegError("the live stream's picture cannot be read yet")
    width, height = _display_size(stream, 0)
    limits = settings.PLAYBACK_LIMITS
    if width > limits["max_width"] or height > limits["max_height"]:
        raise LiveSourceRefused(
            LiveSourceRefused.TOO_LARGE, f"the live stream is {width}×{height}, over the limit"
        )
    rate = output_frame_rate(stream, maximum=min(limits["max_fps"], settings.LIVE_MAX_FPS))
    has_audio = any(s.get("codec_type") == "audio" for s in probe.get("streams", []))
    return LiveSource(width, height, float(rate), has_audio)


def _live_probe_when_ready(url: str, *, attempts: int = 20) -> LiveSource:
    """The ingest accepts a publish before its stream can be read: try again for a while."""
    for attempt in range(attempts):
        try:
            return live_probe(url)
        except LiveSourceRefused:
            raise
        except FfmpegError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


def live_ladder(source: LiveSource) -> list:
    """The on-demand ladder for the source (never upscaled), up to LIVE_MAX_HEIGHT: one
    encoder must keep up in real time, and a 4K publisher would otherwise ask for six rungs."""
    rungs = ladder_for_source(width=source.width, height=source.height)
    kept = [r for r in rungs if min(r.width, r.height) <= settings.LIVE_MAX_HEIGHT]
    return kept or rungs[:1]


class LivePublisher(SegmentUploader):
    """Publishes one encoder's segments into ``p<publish>/`` and rewrites the live playlists."""

    def __init__(
        self,
        *,
        publish: int,
        frame_rate: float,
        dvr_seconds: int,
        segment_seconds: int,
        **uploader,
    ):
        super().__init__(folder=f"p{publish}", **uploader)
        self.publish = publish
        self.frame_rate = frame_rate
        self.dvr_seconds = dvr_seconds
        self.segment_seconds = segment_seconds
        self.manifest = manifest_read(self.storage, self.prefix)
        self.trimmed: dict[str, int] = {}  # per stream, how many stored segments left scratch

    def sync(self, *, final: bool = False) -> None:
        new = self.upload_new(done=final)
        since: dict[str, int] = {}
        for spec in self.streams:
            if spec.name not in new:
                continue
            dates = self._local_dates(spec.name)
            listed = self.manifest.setdefault(spec.name, [])
            since.setdefault(spec.name, len(listed))
            for name, seconds, _size in new[spec.name]:
                listed.append(
                    LiveSegment(
                        uri=f"p{self.publish}/{name}",
                        seconds=seconds,
                        date=dates.get(name) or _date_after(listed),
                        init=f"p{self.publish}/{self.init_published[spec.name]}",
                        publish=self.publish,
                    )
                )
            for name, delta in ((PLAYLIST_NAME, False), (DELTA_PLAYLIST_NAME, True)):
                self._write(
                    f"{spec.name}/{name}",
                    live_playlist_render(
                        listed,
                        segment_seconds=self.segment_seconds,
                        dvr_seconds=self.dvr_seconds,
                        delta=delta,
                    ),
                )
        if new:
            manifest_write(self.storage, self.prefix, self.manifest, since=since)
        if new and all(self.published.values()) and not self.storage.exists(self._master):
            estimated = [
                stream_result_estimate(spec=s, codecs=self.codecs.get(s.name, ""), segment_count=1)
                for s in self.streams
            ]
            self._write(MASTER_NAME, master_render(results=estimated, frame_rate=self.frame_rate))
        for spec in self.streams:
            self._scratch_trim(spec.name)

    def _scratch_trim(self, stream: str) -> None:
        """Remove the stored segments from the scratch folder but the newest few: a two-hour
        1080p ladder would otherwise fill ~8 GB of the encoding machine's disk."""
        published = self.published[stream]
        until = len(published) - SCRATCH_KEPT_SEGMENTS
        for name, _seconds, _size in published[self.trimmed.get(stream, 0) : max(0, until)]:
            (self.scratch / stream / name).unlink(missing_ok=True)
        self.trimmed[stream] = max(self.trimmed.get(stream, 0), until)

    @property
    def _master(self) -> str:
        return f"{self.prefix}/{MASTER_NAME}"

    def _local_dates(self, stream: str) -> dict[str, str]:
        try:
            text = (self.scratch / stream / PLAYLIST_NAME).read_text()
        except FileNotFoundError:
            return {}
        return {name.strip(): _date_normal(date) for date, name in DATE_LINE.findall(text)}


def _date_normal(text: str) -> str:
    """ffmpeg writes +0000; players parse the extended form (+00:00) everywhere."""
    try:
        return datetime.fromisoformat(text).isoformat(timespec="milliseconds")
    except ValueError:
        return ""


def _date_after(listed: list[LiveSegment]) -> str:
    if not listed:
        return datetime.now().astimezone().isoformat(timespec="milliseconds")
    last = listed[-1]
    return (datetime.fromisoformat(last.date) + timedelta(seconds=last.seconds)).isoformat(
        timespec="milliseconds"
    )


def live_encode(
    *,
    url: str,
    scratch: Path,
    storage,
    prefix: str,
    publish: int,
    max_seconds: float,
    while_running: Callable[[], None] | None = None,
) -> None:
    """Encode the stream at ``url`` (the local ingest) until the presenter stops, publishing
    as it goes. ``publish`` numbers this publish of the stream (1, 2… after a reconnect)."""
    source = _live_probe_when_ready(url)
    rungs = live_ladder(source)
    output = scratch / f"p{publish}"
    segment_seconds = settings.LIVE_SEGMENT_SECONDS
    publisher = LivePublisher(
        publish=publish,
        frame_rate=source.frame_rate,
        dvr_seconds=settings.LIVE_DVR_SECONDS,
        segment_seconds=segment_seconds,
        storage=storage,
        prefix=prefix,
        scratch=output,
        streams=stream_folders_make(output, rungs=rungs, has_audio=source.has_audio),
    )
    arguments = transcode_arguments(
        source=LiveInput(url=url, segment_seconds=segment_seconds),
        output=output,
        rungs=rungs,
        frame_rate=source.frame_rate,
        has_audio=source.has_audio,
    )

    def sync() -> None:
        publisher.sync()
        if while_running:
            while_running()

    try:
        ffmpeg_run(
            arguments, timeout=max_seconds, while_running=sync, poll_interval=0.25, live=True
        )
    finally:
        publisher.sync(final=True)
        # Everything this publish made is stored (an error above keeps the folder to look at).
        shutil.rmtree(output, ignore_errors=True)
        with contextlib.suppress(OSError):
            scratch.rmdir()  # the stream's, once no publish of it is left
