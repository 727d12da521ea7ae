"""The transcode benchmark's chunked mode: a long video on one Celery worker process, then two.

Real Celery workers (``celery -A lms worker --queues=transcode``) on the Redis broker, with
PostgreSQL as the database, as in production; storage is a local folder both share. Each run
starts fresh workers, queues the video, and waits for it to be ready:

    wall_s             queued → ready (every part encoded, playlists closed, stills made)
    first_playable_s   queued → the master playlist lists a segment of every stream
    cpu_s              CPU-seconds of the whole worker tree (master, pool, ffmpeg)

Runs with one and with two worker processes are interleaved; ``chunked_speedup`` is the ratio
of the medians of their wall times. With ``--with-single`` the same clip is also encoded in one
process (chunking off) on one worker, the figure the chunks are measured against.
"""

import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from transcode_baselines import cpu_seconds

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "leerstroom_bench"
BROKER = "redis://127.0.0.1:6379/13"


def services_env(var_dir: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "DATABASE_URL", "REDIS_URL", "CELERY_"))
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "lms.settings.base",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "LEERSTROOM_VAR_DIR": str(var_dir),
        "PLAYBACK_SCRATCH_DIR": str(var_dir / "scratch"),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "CELERY_BROKER_URL": BROKER,
    }


def database_create() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if not exists:
            c.execute(f'CREATE DATABASE "{DATABASE}"')


def django_setup(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def broker_flush() -> None:
    import redis

    redis.Redis.from_url(BROKER).flushdb()


def worker_start(env: dict, processes: int, log: Path, group: bool = False) -> subprocess.Popen:
    """A worker on the transcode queue; with ``group``, in a process group of its own that
    ``os.killpg`` ends with every ffmpeg it started."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms", "worker", "--queues=transcode",
         f"--concurrency={processes}", "--loglevel=INFO", "--without-gossip",
         "--without-mingle", f"--hostname=bench-{time.monotonic_ns()}@%h"],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
        start_new_session=group,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while " ready." not in log.read_text(errors="replace"):
        if time.monotonic() > deadline or worker.poll() is not None:
            raise RuntimeError(f"the worker did not start:\n{log.read_text()[-2000:]}")
        time.sleep(0.2)
    return worker


def worker_stop(worker: subprocess.Popen) -> resource.struct_rusage:
    """Warm shutdown; the worker tree's CPU time then counts among this process's children."""
    worker.send_signal(signal.SIGTERM)
    _pid, _status, usage = os.wait4(worker.pid, 0)
    worker.returncode = 0
    return usage


def run_once(clip: Path, env: dict, processes: int, chunked: bool, log: Path) -> dict:
    from django.utils import timezone

    from playback.models import TranscodePart, Video
    from playback.tasks import video_process_task

    broker_flush()
    log.write_text("")
    worker = worker_start(env | {"PLAYBACK_CHUNKED_MIN_SECONDS": "1" if chunked else "0"},
                          processes, log)  # fmt: skip
    from transcode import video_create

    video = video_create(clip)
    queued_at = timezone.now()
    started = time.perf_counter()
    video_process_task.delay(video.pk)
    try:
        while True:
            video.refresh_from_db()
            if video.state in (Video.State.READY, Video.State.FAILED, Video.State.REJECTED):
                break
            if worker.poll() is not None:
                raise RuntimeError(f"the worker died:\n{log.read_text()[-2000:]}")
            time.sleep(0.25)
        wall = time.perf_counter() - started
    finally:
        usage = worker_stop(worker)
    if video.state != Video.State.READY:
        raise RuntimeError(f"video ended {video.state}: {video.reason}\n{video.error_detail}")
    parts = TranscodePart.objects.filter(video=video, generation=video.generation)
    result = {
        "wall_s": round(wall, 2),
        "first_playable_s": round((video.playable_at - queued_at).total_seconds(), 2),
        "cpu_s": round(cpu_seconds(usage), 2),
        "parts": parts.filter(kind="video").count(),
        "segments": {r.name: r.segment_count for r in video.renditions.all()},
    }
    _video_delete(video)
    return result


def _video_delete(video) -> None:
    import shutil

    from django.conf import settings

    shutil.rmtree(Path(settings.MEDIA_ROOT) / "videos" / str(video.uuid), ignore_errors=True)
    video.delete()


def chunked_main(args, root: Path, clip_generate, ffmpeg_version) -> None:
    env = services_env(root / "var")
    database_create()
    django_setup(env)
    version = ffmpeg_version()
    print(version, flush=True)
    clip = clip_generate("easy", root / f"easy-{args.seconds}s.mp4", args.seconds)
    print(f"clip easy: {args.seconds} s 1080p30, {clip.stat().st_size / 1e6:.0f} MB", flush=True)

    methods = {"one_worker": (1, True), "two_workers": (2, True)}
    if args.with_single:
        methods = {"single_process": (1, False), **methods}
    runs: dict[str, list[dict]] = {name: [] for name in methods}
    log = root / "worker.log"
    for repetition in range(1, args.repetitions + 1):
        for name, (processes, chunked) in methods.items():
            result = run_once(clip, env, processes, chunked, log)
            runs[name].append(result)
            print(
                f"rep {repetition} {name:<14} wall {result['wall_s']:7.1f} s  "
                f"first playable {result['first_playable_s']:5.1f} s  "
                f"cpu {result['cpu_s']:7.1f} s  parts {result['parts']}",
                flush=True,
            )

    def median(name: str, key: str) -> float:
        return round(statistics.median(run[key] for run in runs[name]), 2)

    summary = {
        "mode": "chunked",
        "clip_seconds": args.seconds,
        "repetitions": args.repetitions,
        "chunk_seconds": int(os.environ.get("PLAYBACK_CHUNK_SECONDS", 60)),
        "chunked_speedup": round(
            median("one_worker", "wall_s") / median("two_workers", "wall_s"), 3
        ),
        **{
            f"{name}_{key}": median(name, key)
            for name in runs
            for key in ("wall_s", "first_playable_s", "cpu_s")
        },
        "parts": runs["two_workers"][-1]["parts"],
        "segments": runs["two_workers"][-1]["segments"],
        "ffmpeg_version": version,
        "cpus": os.cpu_count(),
    }
    if args.with_single:
        summary["one_worker_vs_single_process_wall"] = round(
            median("one_worker", "wall_s") / median("single_process", "wall_s"), 3
        )
    print(json.dumps(summary), flush=True)
