"""The transcode benchmark's first-playable mode: is a long video playable as soon as a short one?

A 10-minute 1080p30 source of about 1.5 GB (20 Mbit/s with sound, a keyframe every 2 s, as a
camera writes it) goes through the chunked path on real Celery workers (as many processes as
the machine has cores) on Redis and PostgreSQL, with local storage as ``make run`` has it; a
60-s source cut from the same file goes through the one-process path. Runs alternate:

    long_first_playable_s    upload complete → the master playlist is written, with every
                             rung's and the sound's first segment in storage
    short_first_playable_s   the same for the 60-s source

Once a video is playable the workers are stopped (the rest of the transcode is not what is
measured here) and the video is deleted. ``calibration_fps`` is bare ffmpeg encoding the
source's first 5 s to 720p on this machine at the same moment, to tell a slow machine from a
slow pipeline.
"""

import json
import os
import shutil
import signal
import statistics
import subprocess
import time
from pathlib import Path

from transcode_chunked import (
    broker_flush,
    database_create,
    django_setup,
    services_env,
    worker_start,
)

ROOT = Path(__file__).resolve().parent.parent
CLIPS = ROOT / "var" / "bench-clips"  # generated once (about two minutes), kept for later runs
LONG_SECONDS, SHORT_SECONDS, BIT_RATE = 600, 60, "20M"


def source_generate(ffmpeg: str) -> tuple[Path, Path]:
    """The long source (CBR with filler, so it weighs what a camera's file does) and its
    first minute, cut without re-encoding."""
    CLIPS.mkdir(parents=True, exist_ok=True)
    long = CLIPS / f"camera-{LONG_SECONDS}s-{BIT_RATE}.mp4"
    short = CLIPS / f"camera-{SHORT_SECONDS}s-{BIT_RATE}.mp4"
    if not long.exists():
        partial = long.with_suffix(".partial.mp4")
        subprocess.run(
            [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
             "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30",
             "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000",
             "-t", str(LONG_SECONDS), "-map", "0:v", "-map", "1:a",
             "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "60",
             "-b:v", BIT_RATE, "-minrate", BIT_RATE, "-maxrate", BIT_RATE, "-bufsize", "10M",
             "-x264-params", "nal-hrd=cbr:filler=1",
             "-c:a", "aac", "-b:a", "128k", str(partial)],
            check=True,
        )  # fmt: skip
        partial.rename(long)
    if not short.exists():
        subprocess.run(
            [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", str(long),
             "-t", str(SHORT_SECONDS), "-c", "copy", str(short)],
            check=True,
        )  # fmt: skip
    return long, short


def calibration_fps(ffmpeg: str, source: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-i", str(source),
         "-t", "5", "-vf", "scale=-2:720", "-c:v", "libx264", "-preset", "veryfast",
         "-an", "-f", "null", "-"],
        check=True,
    )  # fmt: skip
    return round(150 / (time.perf_counter() - started), 1)


def workers_kill(worker: subprocess.Popen) -> None:
    """The worker and every ffmpeg it started: what is left of the transcode is not measured."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()


def first_playable(clip: Path, env: dict, log: Path) -> float:
    from django.conf import settings
    from transcode import video_create

    from playback.models import Video
    from playback.tasks import video_process_task

    broker_flush()
    log.write_text("")
    worker = worker_start(env, os.cpu_count(), log, group=True)
    try:
        video = video_create(clip)  # the upload, complete
        started = time.perf_counter()
        video_process_task.delay(video.pk)
        while video.playable_at is None:
            if video.state in (Video.State.FAILED, Video.State.REJECTED):
                raise RuntimeError(f"video ended {video.state}: {video.error_detail}")
            if worker.poll() is not None:
                raise RuntimeError(f"the worker died:\n{log.read_text()[-2000:]}")
            time.sleep(0.05)
            video.refresh_from_db()
        seconds = time.perf_counter() - started
    finally:
        workers_kill(worker)
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "videos" / str(video.uuid), ignore_errors=True)
    shutil.rmtree(Path(settings.PLAYBACK_SCRATCH_DIR), ignore_errors=True)
    video.delete()
    return round(seconds, 2)


def first_playable_main(args, root: Path, ffmpeg_version) -> None:
    env = services_env(root / "var")
    database_create()
    django_setup(env)
    from django.conf import settings

    version = ffmpeg_version()
    print(version, flush=True)
    long, short = source_generate(settings.FFMPEG_BINARY)
    for clip in (long, short):
        print(f"source {clip.name}: {clip.stat().st_size / 1e9:.2f} GB", flush=True)

    runs: dict[str, list[float]] = {"long": [], "short": []}
    calibration = []
    log = root / "worker.log"
    for repetition in range(1, args.repetitions + 1):
        calibration.append(calibration_fps(settings.FFMPEG_BINARY, short))
        for name, clip in (("long", long), ("short", short)):
            seconds = first_playable(clip, env, log)
            runs[name].append(seconds)
            print(f"rep {repetition} {name:<5} first playable {seconds:5.2f} s", flush=True)

    long_s, short_s = (statistics.median(runs[name]) for name in ("long", "short"))
    print(
        json.dumps(
            {
                "mode": "first-playable",
                "repetitions": args.repetitions,
                "long_seconds": LONG_SECONDS,
                "long_source_gb": round(long.stat().st_size / 1e9, 2),
                "long_first_playable_s": long_s,
                "short_first_playable_s": short_s,
                "long_vs_short": round(long_s / short_s, 2),
                "long_runs_s": runs["long"],
                "short_runs_s": runs["short"],
                "calibration_fps": statistics.median(calibration),
                "workers": os.cpu_count(),
                "ffmpeg_version": version,
            }
        ),
        flush=True,
    )
