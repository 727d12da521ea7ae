"""One ffmpeg process per job: decode once, split into every rung, publish while encoding."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ffmpeg
from django.conf import settings

from ..ladder import Rung
from ..layout import PLAYLIST_NAME
from ..reasons import Reason
from .ffmpeg import FfmpegError, FfmpegTimeout, ffmpeg_run, input_options, upright_filters
from .probing import frame_rate_exact
from .publishing import AUDIO_STREAM, HlsPublisher, StreamResult, StreamSpec

# How far into a live stream ffprobe and the encoder may read for a first picture: a publisher's
# picture can lag its sound by seconds. Reading stops as soon as every stream is known.
LIVE_ANALYZE_SECONDS = 10


@dataclass(frozen=True)
class LiveInput:
    """A live stream read back from the ingest server on this machine (decision 17): only
    RTMP over TCP and FLV, never a file or another protocol; segments of ``segment_seconds``,
    ffmpeg's own list a short window (the publisher keeps them all), x264 without look-ahead."""

    url: str
    segment_seconds: int
    window: int = 6
    protocols: str = "rtmp,tcp"
    formats: str = "flv,live_flv"
    timeout_seconds: int = 15
    analyze_seconds: int = LIVE_ANALYZE_SECONDS


def transcode_arguments(
    *,
    source: Path | LiveInput,
    output: Path,
    rungs: list[Rung],
    frame_rate: float,
    has_audio: bool,
    short_first_segments: bool = True,
    timeline_offset: float | None = None,
    formats: str | None = None,
    rotation: int = 0,
) -> list[str]:
    """The ffmpeg arguments, built with ffmpeg-python, for the whole ladder in one process.

    ``timeline_offset`` is for a part of a longer video: its segments keep the part's place in
    the whole, moved by that many seconds (the ``tfdt`` of every fragment), so parts play on
    from one another. ``rotation`` (from the probe) turns the picture upright first; every
    rung then has square pixels.
    """
    live = source if isinstance(source, LiveInput) else None
    input_arguments = {**input_options(formats), "noautorotate": None}
    if timeline_offset is not None:
        input_arguments["itsoffset"] = timeline_offset
    if live:
        input_arguments.update(
            protocol_whitelist=live.protocols,
            format_whitelist=live.formats,
            rw_timeout=live.timeout_seconds * 1_000_000,
            analyzeduration=live.analyze_seconds * 1_000_000,
        )
    stream = ffmpeg.input(live.url if live else f"file:{source}", **input_arguments)
    options = _hls_options(output, short_first_segments and not live, timeline_offset)
    if live:
        options.update(
            hls_time=live.segment_seconds,
            hls_list_size=live.window,
            hls_flags="independent_segments+temp_file+program_date_time",
        )
    outputs, stream_map = [], []
    if rungs:
        # Every rung at one steady rate, however the source varies: the rate it is declared at.
        picture = stream.video.filter("fps", str(frame_rate_exact(frame_rate)))
        for name, *arguments in upright_filters(rotation):
            picture = picture.filter(name, *arguments)
        split = picture.filter_multi_output("split", len(rungs))
        outputs += [
            split[index]
            .filter("scale", rung.width, rung.height)
            .filter("setsar", 1)
            .filter("format", "yuv420p")
            for index, rung in enumerate(rungs)
        ]
        gop_seconds = live.segment_seconds if live else settings.PLAYBACK_GOP_SECONDS
        options.update(_video_options(rungs, frame_rate, gop_seconds))
        if live:  # its own preset: a live encoder must keep up with real time
            options.update(
                tune="zerolatency",
                preset=settings.LIVE_X264_PRESET,
                # zerolatency splits each frame into slices encoded at once, which wait for the
                # slowest: on a busy machine that wait, 90 times a second over the ladder, put
                # the stream behind. Frame threads add a few frames' delay and keep up.
                **{"x264-params": f"sliced-threads=0:threads={settings.LIVE_X264_THREADS}"},
            )
        stream_map += [f"v:{index},name:{rung.name}" for index, rung in enumerate(rungs)]
    if has_audio:
        outputs.append(stream["a:0"])
        options.update(
            {"c:a": "aac", "b:a": f"{settings.PLAYBACK_AUDIO_KBPS}k", "ac": 2, "ar": 48000}
        )
        stream_map.append(f"a:0,name:{AUDIO_STREAM}")
    options["var_stream_map"] = " ".join(stream_map)
    command = ffmpeg.output(*outputs, str(output / "%v" / PLAYLIST_NAME), **options)
    if timeline_offset is not None:
        command = command.global_args("-copyts")
    return command.get_args()


def _hls_options(output: Path, short_first_segments: bool, timeline_offset: float | None):
    """fMP4 segments of the set length, written beside a playlist per stream."""
    options: dict[str, object] = {
        "f": "hls",
        "hls_time": settings.PLAYBACK_SEGMENT_SECONDS,
        "hls_list_size": 0,
        "hls_segment_type": "fmp4",
        "hls_flags": "independent_segments+temp_file",
        "hls_fmp4_init_filename": "init.mp4",
        "hls_segment_filename": str(output / "%v" / "seg_%05d.m4s"),
        "max_muxing_queue_size": 4096,
        # Sound and picture both start at zero: each stream's own muxer moves its encoder
        # delay (B-frames, AAC priming) into its edit list. Moved together, by the picture's
        # delay, the sound started at 0.045 s and the picture at 0.067 s: a hole for players.
        "avoid_negative_ts": "disabled",
    }
    if short_first_segments:
        # The first few segments are short so a video is playable within seconds; ffmpeg keeps
        # a window of that many in its own playlist, the publisher keeps them all.
        options["hls_init_time"] = settings.PLAYBACK_FIRST_SEGMENT_SECONDS
        options["hls_list_size"] = settings.PLAYBACK_SHORT_SEGMENTS
    # A fragment per keyframe: an I-frame playlist names each by its byte range.
    movflags = "+frag_keyframe"
    if timeline_offset is not None:
        movflags += "+frag_discont"
    options["hls_segment_options"] = f"movflags={movflags}"
    return options


def _video_options(rungs: list[Rung], frame_rate: float, gop_seconds: int) -> dict[str, object]:
    """x264 for every rung, a closed GOP every ``gop_seconds`` at the same instants in each
    (on demand two seconds; live a segment each)."""
    frames_per_gop = max(1, round(frame_rate_exact(frame_rate) * gop_seconds))
    options: dict[str, object] = {
        "c:v": "libx264",
        "preset": settings.PLAYBACK_X264_PRESET,
        "profile:v": "high",
        "g": frames_per_gop,
        "keyint_min": frames_per_gop,
        "sc_threshold": 0,
        "flags": "+cgop",
        "force_key_frames": f"expr:gte(t,n_forced*{gop_seconds})",
    }
    for index, rung in enumerate(rungs):
        options[f"b:v:{index}"] = f"{rung.video_kbps}k"
        options[f"maxrate:v:{index}"] = f"{rung.peak_kbps}k"
        options[f"bufsize:v:{index}"] = f"{rung.video_kbps * 2}k"
    return options


def stream_specs(*, rungs: list[Rung], has_audio: bool) -> list[StreamSpec]:
    streams = [
        StreamSpec(name=r.name, width=r.width, height=r.height, estimated_kbps=r.peak_kbps)
        for r in rungs
    ]
    if has_audio:
        streams.append(StreamSpec(name=AUDIO_STREAM, estimated_kbps=settings.PLAYBACK_AUDIO_KBPS))
    return streams


def stream_folders_make(output: Path, *, rungs: list[Rung], has_audio: bool) -> list[StreamSpec]:
    """The ladder's streams, each with the folder ffmpeg writes it into."""
    streams = stream_specs(rungs=rungs, has_audio=has_audio)
    for spec in streams:
        (output / spec.name).mkdir(parents=True, exist_ok=True)
    return streams


def encode_timeout(duration: float) -> float:
    return max(
        settings.PLAYBACK_TIMEOUT_MINIMUM_SECONDS,
        duration * settings.PLAYBACK_TIMEOUT_SECONDS_PER_VIDEO_SECOND,
    )


def hls_encode(
    *,
    arguments: list[str],
    sync: Callable[[], None],
    duration: float,
    on_progress: Callable[[float], None],
) -> None:
    """Run one encoder, calling ``sync`` while it runs; progress is seconds encoded."""
    encoded = {"seconds": 0.0}

    def while_running() -> None:
        sync()
        on_progress(encoded["seconds"])

    ffmpeg_run(
        arguments,
        timeout=encode_timeout(duration),
        on_progress=lambda seconds: encoded.__setitem__("seconds", seconds),
        while_running=while_running,
    )


def hls_transcode(
    *,
    source: Path,
    scratch: Path,
    storage,
    prefix: str,
    rungs: list[Rung],
    duration: float,
    frame_rate: float,
    has_audio: bool,
    on_progress: Callable[[float], None],
    on_playable: Callable[[], None],
    rotation: int = 0,
) -> list[StreamResult]:
    """Encode the ladder in one process and publish it to storage; returns the measured streams.

    ``on_progress`` gets the percentage done.
    """
    output = scratch / "hls"
    streams = stream_folders_make(output, rungs=rungs, has_audio=has_audio)
    publisher = HlsPublisher(
        storage=storage,
        prefix=prefix,
        scratch=output,
        streams=streams,
        frame_rate=frame_rate,
        segment_seconds=settings.PLAYBACK_SEGMENT_SECONDS,
        on_playable=on_playable,
        expected_seconds=duration,
    )
    hls_encode(
        arguments=transcode_arguments(
            source=source,
            output=output,
            rungs=rungs,
            frame_rate=frame_rate,
            has_audio=has_audio,
            rotation=rotation,
        ),
        sync=publisher.sync,
        duration=duration,
        on_progress=lambda seconds: on_progress(
            min(99.0, 100 * seconds / duration) if duration else 0
        ),
    )
    return publisher.finish()


def failure_reason(error: FfmpegError, *, duration: float) -> tuple[Reason, str]:
    """What an editor is told when the encoder gives up, and the detail kept for staff."""
    if isinstance(error, FfmpegTimeout):
        minutes = round(duration * settings.PLAYBACK_TIMEOUT_SECONDS_PER_VIDEO_SECOND / 60)
        return Reason("timeout", {"minutes": minutes}), error.stderr
    lines = error.stderr.strip().splitlines()
    detail = lines[-1] if lines else str(error)
    return Reason("transcode_error", {"detail": detail}), error.stderr
