"""The transcode benchmark's baselines: the bare ladder command and one ffmpeg per rung."""

import os
import resource
import shutil
import subprocess
import time
from pathlib import Path


def megabytes(max_rss_kb: int) -> float:
    return round(max_rss_kb / 1024, 1)  # ru_maxrss is in kilobytes on Linux


def cpu_seconds(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def ffmpeg_measure(command: list[str], log: Path) -> dict:
    """Run one ffmpeg and take its own resource usage from wait4."""
    started = time.perf_counter()
    with open(log, "wb") as stderr:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr
        )
        _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        raise RuntimeError(f"ffmpeg exited with {process.returncode}:\n{tail}")
    return {"cpu_s": cpu_seconds(usage), "wall_s": wall, "peak_rss_mb": megabytes(usage.ru_maxrss)}


def bare_measure(clip: Path, facts, work: Path) -> dict:
    """The pipeline's single ffmpeg command, with nothing around it."""
    from django.conf import settings

    from playback.ladder import ladder_for_source
    from playback.services.publishing import AUDIO_STREAM
    from playback.services.transcoding import transcode_arguments

    rungs = ladder_for_source(width=facts.width, height=facts.height)
    output = work / "bare"
    for name in [r.name for r in rungs] + ([AUDIO_STREAM] if facts.has_audio else []):
        (output / name).mkdir(parents=True, exist_ok=True)
    arguments = transcode_arguments(
        source=clip,
        output=output,
        rungs=rungs,
        frame_rate=facts.frame_rate,
        has_audio=facts.has_audio,
    )
    command = [settings.FFMPEG_BINARY, "-hide_banner", "-nostdin", "-y", *arguments]
    try:
        return ffmpeg_measure(command, work / "bare.log")
    finally:
        shutil.rmtree(output, ignore_errors=True)


def per_rung_command(clip: Path, facts, rung, folder: Path) -> list[str]:
    """One rendition on its own: the pipeline's x264, GOP, audio and HLS settings."""
    from django.conf import settings

    from playback.services.ffmpeg import input_options

    gop_seconds = settings.PLAYBACK_GOP_SECONDS
    gop = str(max(1, round(facts.frame_rate * gop_seconds)))
    inputs = input_options()
    command = [
        settings.FFMPEG_BINARY, "-hide_banner", "-nostdin", "-y",
        "-protocol_whitelist", inputs["protocol_whitelist"],
        "-format_whitelist", inputs["format_whitelist"],
        "-i", f"file:{clip}",
        "-map", "0:v:0",
        "-vf", f"scale={rung.width}:{rung.height},format=yuv420p",
        "-c:v", "libx264", "-preset", settings.PLAYBACK_X264_PRESET, "-profile:v", "high",
        "-b:v", f"{rung.video_kbps}k",
        "-maxrate", f"{rung.peak_kbps}k",
        "-bufsize", f"{rung.video_kbps * 2}k",
        "-g", gop, "-keyint_min", gop, "-sc_threshold", "0", "-flags", "+cgop",
        "-force_key_frames", f"expr:gte(t,n_forced*{gop_seconds})",
    ]  # fmt: skip
    if facts.has_audio:
        command += [
            "-map", "0:a:0", "-c:a", "aac", "-b:a", f"{settings.PLAYBACK_AUDIO_KBPS}k",
            "-ac", "2", "-ar", "48000",
        ]  # fmt: skip
    command += [
        "-f", "hls",
        "-hls_time", str(settings.PLAYBACK_SEGMENT_SECONDS),
        "-hls_playlist_type", "vod",
        "-hls_segment_type", "fmp4",
        "-hls_flags", "independent_segments",
        "-hls_fmp4_init_filename", "init.mp4",
        "-hls_segment_filename", str(folder / "seg_%05d.m4s"),
        str(folder / "index.m3u8"),
    ]  # fmt: skip
    return command


def per_rung_measure(clip: Path, facts, work: Path) -> dict:
    """One ffmpeg per rung, lowest first, one after another (as PeerTube does)."""
    from playback.ladder import ladder_for_source

    rungs = ladder_for_source(width=facts.width, height=facts.height)
    output = work / "per-rung"
    totals = {"cpu_s": 0.0, "wall_s": 0.0, "peak_rss_mb": 0.0, "first_rung_done_s": None}
    try:
        for rung in rungs:
            folder = output / rung.name
            folder.mkdir(parents=True, exist_ok=True)
            command = per_rung_command(clip, facts, rung, folder)
            result = ffmpeg_measure(command, work / f"per-rung-{rung.name}.log")
            totals["cpu_s"] += result["cpu_s"]
            totals["wall_s"] += result["wall_s"]
            totals["peak_rss_mb"] = max(totals["peak_rss_mb"], result["peak_rss_mb"])
            if totals["first_rung_done_s"] is None:
                # The lowest rung is complete: the earliest moment anything could be published.
                totals["first_rung_done_s"] = totals["wall_s"]
    finally:
        shutil.rmtree(output, ignore_errors=True)
    return totals


# --- reporting ---------------------------------------------------------------------------
