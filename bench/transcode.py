"""What the video pipeline costs per video-second, against bare ffmpeg and one encode per rung.

Usage, from the project root:

    .venv/bin/python bench/transcode.py [--repetitions N] [--seconds S] [--clip easy|hard|both]
    .venv/bin/python bench/transcode.py --mode chunked [--repetitions N] [--seconds S]
                                        [--with-single]
    .venv/bin/python bench/transcode.py --mode first-playable [--repetitions N]

Three ways to the same HLS ladder are measured on generated 1080p30 clips, interleaved so that
drift in the machine's load spreads over all of them:

    pipeline  playback.services.pipeline.video_process end to end: probe, local copy, one ffmpeg
              for the whole ladder, publishing to storage while it encodes, database writes
    bare      the pipeline's own ffmpeg arguments (transcode_arguments), run alone
    per_rung  one ffmpeg per rung, one after another, each decoding the source again

CPU-seconds are the figure to trust: on a shared machine wall time varies far more. The last line
printed is a JSON summary.

The chunked mode (``transcode_chunked``) sends a 10-minute clip through real Celery workers on
Redis and PostgreSQL, with one worker process and with two, and reports ``chunked_speedup``.
The first-playable mode (``transcode_first_playable``) compares how soon a 10-minute and a
60-s source become playable.
"""

import argparse
import importlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from transcode_baselines import (
    bare_measure,
    cpu_seconds,
    ffmpeg_measure,
    megabytes,
    per_rung_measure,
)
from transcode_summary import summary_build

ROOT = Path(__file__).resolve().parent.parent

# Generated sources. The hard clip is a zoom into ever finer fractal detail with grain (about
# 90 Mbit/s over 60 s at CRF 18): costly for x264, like handheld footage. Much stronger noise
# (alls=60) makes a ~300 Mbit/s source whose decoding dominates, flattering the single decode.
CLIP_VIDEO = {
    "easy": "testsrc2=size=1920x1080:rate=30",
    "hard": "mandelbrot=size=1920x1080:rate=30,noise=alls=10:allf=t+u",
}
CLIP_AUDIO = "sine=frequency=330:sample_rate=48000"


def arguments_parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=["ladder", "chunked", "first-playable"], default="ladder")
    parser.add_argument("--repetitions", type=int, default=3, help="runs per clip and method")
    parser.add_argument("--seconds", type=int, help="clip length (ladder: 60, chunked: 600)")
    parser.add_argument("--clip", choices=["easy", "hard", "both"], default="both")
    parser.add_argument(
        "--with-single", action="store_true", help="chunked mode: also encode in one process"
    )
    args = parser.parse_args()
    args.seconds = args.seconds or (600 if args.mode == "chunked" else 60)
    return args


def django_setup(var_dir: Path) -> None:
    """Django on a database and media folder of its own, so var/ is never touched."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.base")
    os.environ["LEERSTROOM_VAR_DIR"] = str(var_dir)
    os.environ["PLAYBACK_SCRATCH_DIR"] = str(var_dir / "scratch")
    # This mode measures the one-process ladder, whatever the clip's length.
    os.environ["PLAYBACK_CHUNKED_MIN_SECONDS"] = "0"
    # SQLite and local files under var_dir, whatever services the shell points at.
    for name in ("DATABASE_URL", "AWS_STORAGE_BUCKET_NAME"):
        os.environ.pop(name, None)
    # As in production: DEBUG would keep every SQL query in memory.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    # Loaded once, before any run is forked: every run measures the same code even when the
    # files change while the benchmark runs.
    importlib.import_module("playback.services.pipeline")


def ffmpeg_binary() -> str:
    from django.conf import settings

    return settings.FFMPEG_BINARY


def ffmpeg_version() -> str:
    result = subprocess.run(
        [ffmpeg_binary(), "-version"], capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()[0]


def clip_generate(kind: str, path: Path, seconds: int) -> Path:
    """A 1080p30 H.264 + AAC clip; ultrafast x264 so decoding it stays cheap."""
    subprocess.run(
        [
            ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
            "-f", "lavfi", "-i", CLIP_VIDEO[kind],
            "-f", "lavfi", "-i", CLIP_AUDIO,
            "-t", str(seconds), "-map", "0:v", "-map", "1:a",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "192k",
            "-movflags", "+faststart",
            str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


def clip_facts(path: Path):
    """What the pipeline's own probe finds: size, frame rate, audio."""
    from playback.services.probing import source_probe, source_validate

    return source_validate(source_probe(path))


def ffprobe_measure(clip: Path, work: Path) -> float:
    """CPU-seconds of the pipeline's probe of this clip (its ffprobe command, run alone)."""
    from django.conf import settings

    from playback.services.ffmpeg import input_options

    inputs = input_options()
    command = [
        settings.FFPROBE_BINARY, "-v", "error",
        "-protocol_whitelist", inputs["protocol_whitelist"],
        "-format_whitelist", inputs["format_whitelist"],
        "-print_format", "json", "-show_format", "-show_streams",
        f"file:{clip}",
    ]  # fmt: skip
    return round(ffmpeg_measure(command, work / "ffprobe.log")["cpu_s"], 3)


# --- the pipeline ------------------------------------------------------------------------


def video_create(clip: Path):
    from django.core.files import File

    from playback.models import Video

    video = Video(title=f"Benchmark {clip.stem}", source_name="lecture.mp4")
    video.source_size = clip.stat().st_size
    with open(clip, "rb") as handle:
        video.source.save("lecture.mp4", File(handle), save=False)
    video.save()
    return video


def pipeline_measure(clip: Path) -> dict:
    """video_process in a forked child, so its resource usage is its own.

    RUSAGE_CHILDREN in the parent only ever grows and its ru_maxrss is the largest child so far
    (clip generation, earlier runs). In a fresh child, the children's peak RSS is this run's
    ffmpeg (or ffprobe) alone, and the CPU deltas cover nothing else.
    """
    from django.conf import settings
    from django.db import connections

    video = video_create(clip)
    connections.close_all()  # a database connection must not be shared across fork
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        status = 1
        try:
            try:
                report = _pipeline_in_child(video.pk)
                status = 0
            except BaseException:
                report = {"error": traceback.format_exc()}
            with os.fdopen(write_end, "w") as pipe:
                json.dump(report, pipe)
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    report = json.loads(text) if text else {"error": "the benchmark child died without a report"}
    # The ladder and the uploaded copy are not needed any more: keep the disk from filling.
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "videos" / str(video.uuid), ignore_errors=True)
    if "error" in report:
        raise RuntimeError(f"pipeline run failed:\n{report['error']}")
    return report


def _stills_metered(pipeline) -> dict | None:
    """Meter the poster and seek-thumbnail steps the pipeline runs after the ladder.

    Wrappers in the forked child only; None when this pipeline makes no stills.
    """
    names = [n for n in ("video_poster_make", "video_thumbnails_make") if hasattr(pipeline, n)]
    if not names:
        return None
    meter = {"cpu_s": 0.0, "wall_s": 0.0}

    def metered(original):
        def wrapper(*args, **kwargs):
            cpu, started = _cpu_so_far(), time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                meter["cpu_s"] += _cpu_so_far() - cpu
                meter["wall_s"] += time.perf_counter() - started

        return wrapper

    for name in names:
        setattr(pipeline, name, metered(getattr(pipeline, name)))
    return meter


def _cpu_so_far() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return cpu_seconds(own) + cpu_seconds(resource.getrusage(resource.RUSAGE_CHILDREN))


def _stills_made(video) -> bool:
    """The stills step logs its failures instead of failing the video: check its output."""
    thumbnails = f"{video.storage_prefix}/thumbnails"
    storage = pipeline_module().video_storage()
    return getattr(video, "poster_id", None) is not None and all(
        storage.exists(f"{thumbnails}/{name}") for name in ("sprite.jpg", "index.vtt")
    )


def pipeline_module():
    return importlib.import_module("playback.services.pipeline")


def _pipeline_in_child(pk: int) -> dict:
    from django.db import connections
    from django.utils import timezone

    from playback.models import Video

    pipeline = pipeline_module()
    stills = _stills_metered(pipeline)
    video = Video.objects.get(pk=pk)
    own_before = resource.getrusage(resource.RUSAGE_SELF)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started_at = timezone.now()
    started = time.perf_counter()
    video = pipeline.video_process(video=video)
    wall = time.perf_counter() - started
    own_after = resource.getrusage(resource.RUSAGE_SELF)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if video.state != Video.State.READY:
        raise AssertionError(f"video ended {video.state}: {video.reason}\n{video.error_detail}")
    if stills is not None and not _stills_made(video):
        raise AssertionError("the poster or the seek thumbnails are missing (see the log)")
    segments = {r.name: r.segment_count for r in video.renditions.all()}
    connections.close_all()
    ffmpeg_cpu = cpu_seconds(children_after) - cpu_seconds(children_before)
    python_cpu = cpu_seconds(own_after) - cpu_seconds(own_before)
    return {
        "cpu_s": ffmpeg_cpu + python_cpu,
        "ffmpeg_cpu_s": ffmpeg_cpu,  # ffprobe and ffmpeg
        "python_cpu_s": python_cpu,  # copying, publishing to storage, playlists, database
        # Poster and seek thumbnails, already counted in the figures above.
        "extras_cpu_s": stills["cpu_s"] if stills else 0.0,
        "extras_wall_s": stills["wall_s"] if stills else 0.0,
        "ladder_cpu_s": ffmpeg_cpu + python_cpu - (stills["cpu_s"] if stills else 0.0),
        "stills": stills is not None,
        "wall_s": wall,
        "first_playable_s": (video.playable_at - started_at).total_seconds(),
        "peak_rss_mb": megabytes(children_after.ru_maxrss),
        "segments": segments,
    }


# --- plain ffmpeg ------------------------------------------------------------------------


def run_line(repetition: int, clip: str, method: str, result: dict, seconds: int) -> str:
    line = (
        f"rep {repetition} {clip:<4} {method:<8} cpu {result['cpu_s']:7.1f} s "
        f"({result['cpu_s'] / seconds:.3f} cpu-s/video-s)  wall {result['wall_s']:6.1f} s  "
        f"peak rss {result['peak_rss_mb']:6.1f} MB"
    )
    if method == "pipeline":
        line += (
            f"  ffmpeg {result['ffmpeg_cpu_s']:.1f} s + python {result['python_cpu_s']:.2f} s"
            f"  first playable {result['first_playable_s']:.1f} s"
        )
        if result["stills"]:
            line += f"  stills {result['extras_cpu_s']:.1f} cpu-s / {result['extras_wall_s']:.1f} s"
    elif method == "per_rung":
        line += f"  lowest rung done {result['first_rung_done_s']:.1f} s"
    return line


def main() -> None:
    args = arguments_parse()
    kinds = ["easy", "hard"] if args.clip == "both" else [args.clip]
    root = Path(tempfile.mkdtemp(prefix="leerstroom-bench-"))
    if args.mode == "first-playable":
        from transcode_first_playable import first_playable_main

        try:
            first_playable_main(args, root, ffmpeg_version)
        finally:
            shutil.rmtree(root, ignore_errors=True)
        return
    if args.mode == "chunked":
        from transcode_chunked import chunked_main

        try:
            chunked_main(args, root, clip_generate, ffmpeg_version)
        finally:
            shutil.rmtree(root, ignore_errors=True)
        return
    try:
        django_setup(root / "var")
        from playback.ladder import ladder_for_source

        version = ffmpeg_version()
        print(version, flush=True)
        work = root / "work"
        work.mkdir()
        (root / "clips").mkdir()
        clips, facts, ffprobe_cpu = {}, {}, {}
        for kind in kinds:
            started = time.perf_counter()
            clips[kind] = clip_generate(kind, root / "clips" / f"{kind}.mp4", args.seconds)
            facts[kind] = clip_facts(clips[kind])
            ffprobe_cpu[kind] = ffprobe_measure(clips[kind], work)
            size = clips[kind].stat().st_size * 8 / args.seconds / 1e6
            print(
                f"clip {kind}: {facts[kind].width}x{facts[kind].height} "
                f"@{facts[kind].frame_rate:g} fps, {facts[kind].duration:.1f} s, "
                f"{size:.1f} Mbit/s, generated in {time.perf_counter() - started:.0f} s, "
                f"ffprobe {ffprobe_cpu[kind]:.3f} cpu-s",
                flush=True,
            )

        results = {kind: {"pipeline": [], "bare": [], "per_rung": []} for kind in kinds}
        for repetition in range(1, args.repetitions + 1):
            for kind in kinds:
                measured = {
                    "pipeline": lambda k=kind: pipeline_measure(clips[k]),
                    "bare": lambda k=kind: bare_measure(clips[k], facts[k], work),
                    "per_rung": lambda k=kind: per_rung_measure(clips[k], facts[k], work),
                }
                for method, measure in measured.items():
                    result = measure()
                    results[kind][method].append(result)
                    print(run_line(repetition, kind, method, result, args.seconds), flush=True)

        first = facts[kinds[0]]
        ladder = [r.name for r in ladder_for_source(width=first.width, height=first.height)]
        print(json.dumps(summary_build(results, args, version, ladder, ffprobe_cpu)), flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
