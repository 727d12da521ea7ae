"""The transcode benchmark's summary: medians per clip, ratios, targets, the final JSON."""

import argparse
import os
import statistics

TARGETS = {"overhead_vs_bare_max": 1.05, "speedup_vs_per_rung_min": 1.15, "first_playable_max": 10}


def median_of(runs: list[dict], key: str) -> float:
    return round(statistics.median(run[key] for run in runs), 3)


def clip_summary(runs: dict[str, list[dict]], seconds: int, ffprobe_cpu: float) -> dict:
    pipeline, bare, per_rung = runs["pipeline"], runs["bare"], runs["per_rung"]
    pipeline_cpu = median_of(pipeline, "cpu_s")
    bare_cpu = median_of(bare, "cpu_s")
    per_rung_cpu = median_of(per_rung, "cpu_s")
    summary = {
        # Posters and seek thumbnails are reported apart (extras_cpu_s): the ratios compare the
        # ladder work (probe, encode, playlists, storage writes, publish) with the baselines.
        "cpu_s_per_video_s": round(median_of(pipeline, "ladder_cpu_s") / seconds, 3),
        "overhead_vs_bare": round(median_of(pipeline, "ladder_cpu_s") / bare_cpu, 3),
        "overhead_vs_bare_with_extras": round(pipeline_cpu / bare_cpu, 3),
        "speedup_vs_per_rung": round(per_rung_cpu / median_of(pipeline, "ladder_cpu_s"), 3),
        "speedup_vs_per_rung_with_extras": round(per_rung_cpu / pipeline_cpu, 3),
        "first_playable_s": median_of(pipeline, "first_playable_s"),
        "full_ladder_s": median_of(pipeline, "wall_s"),
        "peak_rss_mb": max(run["peak_rss_mb"] for run in pipeline),
        "extras_cpu_s": median_of(pipeline, "extras_cpu_s"),
        "extras_wall_s": median_of(pipeline, "extras_wall_s"),
        "pipeline": {
            "cpu_s": pipeline_cpu,
            "ladder_cpu_s": median_of(pipeline, "ladder_cpu_s"),
            "ffmpeg_cpu_s": median_of(pipeline, "ffmpeg_cpu_s"),
            "python_cpu_s": median_of(pipeline, "python_cpu_s"),
            "ffprobe_cpu_s": ffprobe_cpu,  # part of ffmpeg_cpu_s, measured once on its own
            "wall_s": median_of(pipeline, "wall_s"),
            "cpu_s_runs": [round(run["cpu_s"], 2) for run in pipeline],
            "segments": pipeline[-1]["segments"],
        },
        "bare": {
            "cpu_s": bare_cpu,
            "cpu_s_per_video_s": round(bare_cpu / seconds, 3),
            "wall_s": median_of(bare, "wall_s"),
            "peak_rss_mb": max(run["peak_rss_mb"] for run in bare),
            "cpu_s_runs": [round(run["cpu_s"], 2) for run in bare],
        },
        "per_rung": {
            "cpu_s": per_rung_cpu,
            "cpu_s_per_video_s": round(per_rung_cpu / seconds, 3),
            "wall_s": median_of(per_rung, "wall_s"),
            "first_rung_done_s": median_of(per_rung, "first_rung_done_s"),
            "peak_rss_mb": max(run["peak_rss_mb"] for run in per_rung),
            "cpu_s_runs": [round(run["cpu_s"], 2) for run in per_rung],
        },
    }
    summary["targets_met"] = targets_check([summary])
    return summary


def targets_check(clips: list[dict]) -> dict:
    """A target counts as met only when every clip meets it."""
    return {
        "overhead_vs_bare": all(
            c["overhead_vs_bare"] <= TARGETS["overhead_vs_bare_max"] for c in clips
        ),
        "speedup_vs_per_rung": all(
            c["speedup_vs_per_rung"] >= TARGETS["speedup_vs_per_rung_min"] for c in clips
        ),
        "first_playable_s": all(
            c["first_playable_s"] <= TARGETS["first_playable_max"] for c in clips
        ),
    }


def summary_build(
    results: dict[str, dict[str, list[dict]]],
    args: argparse.Namespace,
    version: str,
    ladder: list[str],
    ffprobe_cpu: dict[str, float],
) -> dict:
    from django.conf import settings

    clips = {
        name: clip_summary(runs, args.seconds, ffprobe_cpu[name]) for name, runs in results.items()
    }
    # Overall CPU figures weigh each clip's minute equally: sums of the per-clip medians.
    pipeline_cpu = sum(c["pipeline"]["cpu_s"] for c in clips.values())
    ladder_cpu = sum(c["pipeline"]["ladder_cpu_s"] for c in clips.values())
    bare_cpu = sum(c["bare"]["cpu_s"] for c in clips.values())
    per_rung_cpu = sum(c["per_rung"]["cpu_s"] for c in clips.values())
    extras_cpu = sum(c["extras_cpu_s"] for c in clips.values()) / len(clips)
    pipeline_runs = [run for runs in results.values() for run in runs["pipeline"]]
    stills = all(run["stills"] for run in pipeline_runs)
    return {
        "cpu_s_per_video_s": round(ladder_cpu / (args.seconds * len(clips)), 3),
        "overhead_vs_bare": round(ladder_cpu / bare_cpu, 3),
        "overhead_vs_bare_with_extras": round(pipeline_cpu / bare_cpu, 3),
        "speedup_vs_per_rung": round(per_rung_cpu / ladder_cpu, 3),
        "speedup_vs_per_rung_with_extras": round(per_rung_cpu / pipeline_cpu, 3),
        "first_playable_s": median_of(pipeline_runs, "first_playable_s"),
        "full_ladder_s": median_of(pipeline_runs, "wall_s"),
        # The largest ffprobe/ffmpeg child of any pipeline run (each run is its own process).
        "peak_rss_mb": max(c["peak_rss_mb"] for c in clips.values()),
        "extras_cpu_s": round(extras_cpu, 3),
        "extras_note": (
            "poster and seek thumbnails per video; apart from the ratios, in the *_with_extras ones"
            if stills
            else "posters and thumbnails are not produced yet"
        ),
        "ffmpeg_version": version,
        "x264_preset": settings.PLAYBACK_X264_PRESET,
        "ladder": ladder,
        "clip_seconds": args.seconds,
        "repetitions": args.repetitions,
        "cpu_count": os.cpu_count(),
        "overall_rule": (
            "CPU ratios: sums of per-clip medians; extras: mean of per-clip medians; "
            "times: median of all pipeline runs"
        ),
        "targets": TARGETS,
        "targets_met": targets_check(list(clips.values())),
        "clips": clips,
    }
