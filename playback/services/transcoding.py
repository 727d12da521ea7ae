"""One ffmpeg process per video: decode once, split into every rung, publish while encoding."""

from collections.abc import Callable
from pathlib import Path

import ffmpeg
from django.conf import settings

from ..ladder import Rung
from .ffmpeg import ffmpeg_run, input_options
from .publishing import AUDIO_STREAM, PLAYLIST_NAME, HlsPublisher, StreamResult, StreamSpec


def transcode_arguments(
    *, source: Path, output: Path, rungs: list[Rung], frame_rate: float, has_audio: bool
) -> list[str]:
    """The ffmpeg arguments, built with ffmpeg-python, for the whole ladder in one process."""
    segment = settings.PLAYBACK_SEGMENT_SECONDS
    gop_seconds = settings.PLAYBACK_GOP_SECONDS
    stream = ffmpeg.input(f"file:{source}", **input_options())
    split = stream.video.filter_multi_output("split", len(rungs))
    videos = [
        split[index].filter("scale", rung.width, rung.height).filter("format", "yuv420p")
        for index, rung in enumerate(rungs)
    ]
    options: dict[str, object] = {
        "c:v": "libx264",
        "preset": settings.PLAYBACK_X264_PRESET,
        "profile:v": "high",
        # A closed GOP every two seconds, at the same instants in every rung.
        "g": max(1, round(frame_rate * gop_seconds)),
        "keyint_min": max(1, round(frame_rate * gop_seconds)),
        "sc_threshold": 0,
        "flags": "+cgop",
        "force_key_frames": f"expr:gte(t,n_forced*{gop_seconds})",
        "f": "hls",
        "hls_time": segment,
        # The first few segments are short so a video is playable within seconds; ffmpeg keeps
        # a window of that many in its own playlist, the publisher keeps them all.
        "hls_init_time": settings.PLAYBACK_FIRST_SEGMENT_SECONDS,
        "hls_list_size": settings.PLAYBACK_SHORT_SEGMENTS,
        "hls_segment_type": "fmp4",
        "hls_flags": "independent_segments+temp_file",
        "hls_fmp4_init_filename": "init.mp4",
        "hls_segment_filename": str(output / "%v" / "seg_%05d.m4s"),
        "max_muxing_queue_size": 4096,
    }
    stream_map = []
    for index, rung in enumerate(rungs):
        options[f"b:v:{index}"] = f"{rung.video_kbps}k"
        options[f"maxrate:v:{index}"] = f"{rung.peak_kbps}k"
        options[f"bufsize:v:{index}"] = f"{rung.video_kbps * 2}k"
        stream_map.append(f"v:{index},name:{rung.name}")
    outputs = list(videos)
    if has_audio:
        outputs.append(stream.audio)
        options.update({"c:a": "aac", "b:a": f"{settings.PLAYBACK_AUDIO_KBPS}k", "ac": 2})
        options["ar"] = 48000
        stream_map.append(f"a:0,name:{AUDIO_STREAM}")
    options["var_stream_map"] = " ".join(stream_map)
    return ffmpeg.output(*outputs, str(output / "%v" / PLAYLIST_NAME), **options).get_args()


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
) -> list[StreamResult]:
    """Encode the ladder and publish it to storage; returns the measured streams."""
    output = scratch / "hls"
    streams = [
        StreamSpec(name=r.name, width=r.width, height=r.height, estimated_kbps=r.peak_kbps)
        for r in rungs
    ]
    if has_audio:
        streams.append(StreamSpec(name=AUDIO_STREAM, estimated_kbps=settings.PLAYBACK_AUDIO_KBPS))
    for spec in streams:
        (output / spec.name).mkdir(parents=True, exist_ok=True)
    publisher = HlsPublisher(
        storage=storage,
        prefix=prefix,
        scratch=output,
        streams=streams,
        frame_rate=frame_rate,
        segment_seconds=settings.PLAYBACK_SEGMENT_SECONDS,
        on_playable=on_playable,
    )
    encoded = {"seconds": 0.0}

    def while_running() -> None:
        publisher.sync()
        on_progress(min(99.0, 100 * encoded["seconds"] / duration) if duration else 0)

    timeout = max(
        settings.PLAYBACK_TIMEOUT_MINIMUM_SECONDS,
        duration * settings.PLAYBACK_TIMEOUT_SECONDS_PER_VIDEO_SECOND,
    )
    ffmpeg_run(
        transcode_arguments(
            source=source, output=output, rungs=rungs, frame_rate=frame_rate, has_audio=has_audio
        ),
        timeout=timeout,
        on_progress=lambda seconds: encoded.__setitem__("seconds", seconds),
        while_running=while_running,
    )
    return publisher.finish()
