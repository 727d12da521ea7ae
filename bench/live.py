"""The live webinar benchmark: a presenter publishing 1080p30 to the real ingest, a viewer's
hls.js measuring latency, and 20,000 viewers' app-tier traffic, all on this machine at once.

Starts the production stack on loopback: gunicorn with the production settings (database
``leerstroom_bench_live``, made fresh unless ``--keep``; Redis db 11 for cache, sessions and
presence, db 10 for the broker), the RTMP ingest (``manage.py live_ingest``: Debian's nginx with
libnginx-mod-rtmp, calling gunicorn back) and the encoder supervisor (``manage.py
live_encoders``). Seeds ``--viewers`` signed-in learners (their sessions written directly, as if
they signed in hours before) registered for a webinar session that started a minute ago.

    ceiling     a view that returns 204 through the same server and middleware, as fast as 32
                clients can go for 10 s: the most this stack can answer (``minimal_view_rps``)
    publish     ffmpeg sends a 1920×1080 30 fps test pattern (testsrc2) with a tone, in real
                time (``-re``), for ``--seconds`` to rtmp://127.0.0.1/live/<the session's key>
    edge        nginx in front of gunicorn serves the stream's files from the storage folder,
                as the CDN would (``live_edge.py``); the browser goes through it
    viewer      headless Chromium opens the watch page signed in; hls.js plays from the live
                edge; every second latency = now − ``hls.playingDate`` (from
                EXT-X-PROGRAM-DATE-TIME, the ingest's clock); stalls are 'waiting' events and
                bufferStalledError after the first 10 s of playing
    audience    open loop, once the ladder is stored: every viewer opens the watch page (joins
                spread over 10 s), beats presence every 20 s and renews its stream cookie about
                once an hour; the viewers who asked or voted (``--took-part-share``, 5 %) read
                the question list from the app every 5 s, the others read the list published
                beside the stream from storage. Playlists, segments and the published list are
                not sent to Django: what they cost storage/CDN is computed (a reload is the
                delta update, ``storage_playlist_kb_per_viewer_min``)
    replay      at the end of the publish the editor ends the webinar (``stream_end``);
                ``replay_ready_s`` runs from the end of the publish until the stream's
                ``replay_ready_at`` is set and every rung playlist has EXT-X-ENDLIST

The last line on stdout is JSON: ``latency_p50_s``, ``latency_p95_s``, ``stalls``,
``encoder_cpu_cores``, ``app_rps``, ``app_p99_ms``, ``app_errors``,
``requests_to_storage_per_viewer_min``, ``replay_ready_s``, ``minimal_view_rps``,
``targets_met`` and CPU use per process group. Targets on 2 cores: latency p50 ≤ 5 s and p95 ≤
7 s, no stall after the first 10 s, app p99 < 200 ms with no errors, replay ready ≤ 10 s. Two
series tell where latency came from: ``latency_over_time_s`` (the browser's, per ~15 s) and
``segment_stored_lag_over_time_s`` (how late segments reached storage, per 15 segments): when
both rise, the stream fell behind, not the browser; and then
``segment_encoded_lag_over_time_s`` (when ffmpeg finished each segment in its scratch folder,
less the end of its program date) and ``segment_publish_delay_over_time_s`` (stored less
finished) tell the encoder falling behind from the publisher.

What limits it on this machine: everything shares two cores. The encoder (one decode, the
1080p/720p/360p ladder with x264 ``superfast`` at 30 fps) needs about 0.8 of a core to keep real
time, the presenter's ffmpeg and Chromium's decoding take a share, and the rest is left for
gunicorn, PostgreSQL, Redis and the load generator, whose own Python costs about as much per
request as a minimal Django view. When the encoder falls behind, segments arrive late and the
latency grows; when gunicorn cannot keep up, app latency grows (open loop: late answers count
from their scheduled time). The per-group CPU figures say which it was. The joins are the
heaviest part: a watch page measured in-process took 4-5 ms, where the ceiling's minimal view
costs about 0.6 ms of a core, so 2,000 viewers joining within 10 s take about a core for those
seconds, and the stream falls behind while they do.
"""

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file is bench/live.py: the project (and its app "live") comes before this folder.
sys.path.insert(0, str(ROOT))

from bench_database import database_prepare  # noqa: E402
from heartbeat_phases import Requests, ceiling_measure, log  # noqa: E402
from heartbeat_seed import learners_seed, schema, sessions_seed  # noqa: E402
from heartbeat_stack import HOST, PYTHON, VAR, free_port, process_stop, server_start  # noqa: E402
from http_load import cpu_snapshot, cpu_use, percentile  # noqa: E402
from live_edge import edge_start  # noqa: E402
from live_load import (  # noqa: E402
    JOIN_SECONDS,
    Viewers,
    app_figures,
    audience_drive,
    storage_question_reads,
    storage_requests_per_viewer_minute,
    warm_up,
)
from live_seed import REDIS_BROKER, REDIS_CACHE, redis_reset, webinar_seed  # noqa: E402
from live_stream import (  # noqa: E402
    ScratchWatch,
    medians_over_time,
    presenter_start,
    replay_ready,
    segment_lags_over_time,
    stored_lag_over_time,
)
from live_viewer import BrowserViewer, EncoderMeter  # noqa: E402

DATABASE = "leerstroom_bench_live"
LIVE_VAR = ROOT / "var" / "bench-live"
TARGETS = {"latency_p50_s": 5.0, "latency_p95_s": 7.0, "app_p99_ms": 200.0, "replay_ready_s": 10}


def environment(*, rtmp_port: int, app_port: int, preset: str) -> dict[str, str]:
    return {
        "LIVE_X264_PRESET": preset,
        "DJANGO_SETTINGS_MODULE": "bench.heartbeat_settings",
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-" + "k" * 50,
        "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "SITE_URL": f"https://{HOST}",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": REDIS_CACHE,
        "CELERY_BROKER_URL": REDIS_BROKER,
        "LEERSTROOM_VAR_DIR": str(LIVE_VAR),
        "LIVE_RTMP_PORT": str(rtmp_port),
        "LIVE_CALLBACK_URL": f"http://127.0.0.1:{app_port}",
    }


def django_setup(env: dict[str, str]) -> None:
    for name in [name for name in os.environ if name.startswith("AWS_")]:
        del os.environ[name]  # local storage: what storage would serve is computed, not sent
    os.environ.update(env)
    import django

    django.setup()


def manage_start(env: dict, *arguments: str, log_name: str) -> subprocess.Popen:
    with open(LIVE_VAR / log_name, "ab") as output:
        return subprocess.Popen(
            [str(PYTHON), "manage.py", *arguments],
            env=os.environ | env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def wait_for(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise SystemExit(f"waited {seconds:.0f} s for {what}; logs in {LIVE_VAR}")


def questions_path_for(session_id: int) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("live:questions", args=[session_id])
    except NoReverseMatch:
        log("the question list (live:questions) does not exist here: that phase is skipped")
        return None


def _ladder_or_exit(presenter: subprocess.Popen, storage, prefix: str) -> bool:
    if presenter.poll() is not None:
        raise SystemExit(f"the presenter's ffmpeg exited: {presenter.stderr.read().decode()}")
    return storage.exists(f"{prefix}/master.m3u8")


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def chromium_roots() -> set[int]:
    snapshot = cpu_snapshot().processes
    return {
        pid
        for pid, (command, parent, _ticks) in snapshot.items()
        if command.startswith("chrom") and not snapshot.get(parent, ("",))[0].startswith("chrom")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=180, help="how long the presenter publishes"
    )
    parser.add_argument("--viewers", type=int, default=20_000)
    parser.add_argument("--beat-seconds", type=float, default=20)
    parser.add_argument("--question-seconds", type=float, default=5)
    parser.add_argument(
        "--took-part-share",
        type=float,
        default=0.05,
        help="viewers who asked or voted, and so read the question list from the app",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument(
        "--x264-preset", default="superfast", help="the live encoder's x264 preset (the setting's)"
    )
    parser.add_argument("--keep", action="store_true", help="reuse an earlier run's database")
    args = parser.parse_args()

    LIVE_VAR.mkdir(parents=True, exist_ok=True)
    VAR.mkdir(parents=True, exist_ok=True)
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
    app_port, rtmp_port = free_port(), free_port()
    env = environment(rtmp_port=rtmp_port, app_port=app_port, preset=args.x264_preset)
    database_prepare(DATABASE, keep=args.keep)
    django_setup(env)
    started = time.perf_counter()
    schema()
    redis_reset()
    learners = learners_seed(args.viewers + 1)  # the last one is the measuring browser
    session_keys = sessions_seed(learners)
    session, issued = webinar_seed(learners)
    from django.db import connection

    from live.streaming.encoders import stream_prefix
    from live.streaming.ingest import stream_end

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    watch_path = f"/sessies/{session.pk}/kijken/"
    beat_path = f"/sessies/{session.pk}/aanwezig/"
    questions_path = questions_path_for(session.pk)
    prefix = stream_prefix(issued.stream)
    log(f"{args.viewers} viewers registered for {watch_path}, seeded in "
        f"{time.perf_counter() - started:.0f} s")  # fmt: skip

    import uvloop

    processes: dict[str, subprocess.Popen] = {}
    figures: dict = {}
    meter = viewer = None
    try:
        processes["gunicorn"] = server_start(
            env, port=app_port, worker_class="gthread", workers=args.workers, threads=args.threads
        )
        processes["ingest"] = manage_start(
            env, "live_ingest", f"--port={rtmp_port}", log_name="ingest.log"
        )
        processes["encoders"] = manage_start(env, "live_encoders", log_name="encoders.log")
        viewers = Viewers(session_keys[: args.viewers])
        uvloop.run(warm_up(app_port, viewers, watch_path))
        from bench.heartbeat_urls import MINIMAL_PATH

        groups = {name: {process.pid} for name, process in processes.items()}
        before = cpu_snapshot()
        signed_in = Requests(session_keys[: args.viewers])
        ceiling = uvloop.run(ceiling_measure(app_port, signed_in, f"/{MINIMAL_PATH}"))
        minimal_rps = ceiling.statuses[204] / (ceiling.finished - ceiling.started)
        ceiling_cpu = cpu_use(before, cpu_snapshot(), groups=groups)
        log(f"ceiling: minimal view {minimal_rps:.0f}/s; CPU {ceiling_cpu}")

        wait_for(lambda: listening(rtmp_port), seconds=60, what="the ingest to listen")
        meter = EncoderMeter(processes["encoders"].pid)
        meter.start()
        presenter = processes["presenter"] = presenter_start(rtmp_port, issued.key, args.seconds)
        publish_started = time.monotonic()
        from django.conf import settings
        from django.core.files.storage import storages

        scratch = ScratchWatch(
            Path(settings.VAR_DIR) / "live" / "scratch" / str(issued.stream.uuid)
        )
        scratch.start()

        storage = storages["videos"]
        wait_for(lambda: _ladder_or_exit(presenter, storage, prefix), seconds=60, what="the ladder")
        first_ladder_s = time.monotonic() - publish_started
        log(f"ladder stored {first_ladder_s:.1f} s after the publish started")

        processes["edge"], edge_port = edge_start(
            nginx=settings.LIVE_NGINX_BINARY,
            folder=LIVE_VAR,
            media=Path(settings.MEDIA_ROOT),
            app_port=app_port,
        )
        viewer = BrowserViewer(
            base_url=f"http://{HOST}:{edge_port}",
            host=HOST,
            session_key=session_keys[args.viewers],
            watch_path=watch_path,
        )
        viewer.start()
        wait_for(lambda: viewer.latencies or viewer.problem, seconds=60, what="the viewer to play")
        log(f"the browser plays {viewer.latencies[-1] if viewer.latencies else viewer.problem}")
        # The viewer measures while the presenter is on air, however long the audience lasts.
        threading.Thread(target=lambda: (presenter.wait(), viewer.stop.set()), daemon=True).start()
        load_seconds = max(20.0, args.seconds - (time.monotonic() - publish_started) - 5)
        log(
            f"audience: {args.viewers} viewers for {load_seconds:.0f} s (beats every "
            f"{args.beat_seconds:.0f} s, questions every {args.question_seconds:.0f} s)"
        )
        groups = {name: {process.pid} for name, process in processes.items()}
        groups["chromium"] = chromium_roots()
        before = cpu_snapshot()
        outcomes = uvloop.run(
            audience_drive(
                app_port,
                viewers,
                count=args.viewers,
                seconds=load_seconds,
                watch_path=watch_path,
                beat_path=beat_path,
                questions_path=questions_path,
                beat_seconds=args.beat_seconds,
                question_seconds=args.question_seconds,
                took_part_share=args.took_part_share,
            )
        )
        load_cpu = cpu_use(before, cpu_snapshot(), groups=groups)
        # What the rest of the machine took meanwhile (other work on a shared machine).
        ours = sum(value for name, value in load_cpu.items() if name != "machine_busy_share")
        others = round(max(0.0, load_cpu["machine_busy_share"] * os.cpu_count() - ours), 2)
        log(f"audience done; CPU {load_cpu}")
        figures |= app_figures(outcomes)
        question_reads = (
            storage_question_reads(args.question_seconds, args.took_part_share)
            if questions_path
            else 0.0
        )
        figures |= storage_requests_per_viewer_minute(storage, prefix, question_reads)

        presenter.wait(timeout=args.seconds + 120)
        publish_ended = time.monotonic()
        scratch.stop.set()
        viewer.stop.set()
        viewer.join(timeout=30)
        from live.models import LiveStream

        stream_end(stream_id=issued.stream.pk)  # the editor presses End the webinar
        wait_for(lambda: replay_ready(issued.stream.pk, prefix), seconds=120, what="the replay")
        replay_ready_s = time.monotonic() - publish_ended
        meter.stop.set()
        stream = LiveStream.objects.get(pk=issued.stream.pk)
        latencies = viewer.latencies
        figures |= {
            "latency_p50_s": round(percentile(latencies, 0.5), 2),
            "latency_p95_s": round(percentile(latencies, 0.95), 2),
            "latency_samples": len(latencies),
            "latency_over_time_s": medians_over_time(latencies),
            "segment_stored_lag_over_time_s": stored_lag_over_time(prefix),
            **segment_lags_over_time(prefix, scratch),
            "stalls": viewer.stalls(),
            "viewer_rung_heights": viewer.rung_heights(),
            "viewer_problem": viewer.problem,
            "encoder_cpu_cores": meter.cores(),
            "encoder_problem": stream.encoder_problem,
            "first_ladder_s": round(first_ladder_s, 1),
            "replay_ready_s": round(replay_ready_s, 1),
            "minimal_view_rps": round(minimal_rps, 1),
            "ratio_app_vs_minimal_view": round(figures["app_rps"] / minimal_rps, 2),
            # What the audience asks of the app tier once joined, and during the 10 s of joins.
            "app_offered_rps": round(
                args.viewers / args.beat_seconds
                + (
                    args.viewers * args.took_part_share / args.question_seconds
                    if questions_path
                    else 0
                )
            ),
            "took_part_share": args.took_part_share,
            "app_offered_rps_joining": round(args.viewers / JOIN_SECONDS),
            "storage_rps_at_viewers": round(
                figures["requests_to_storage_per_viewer_min"] * args.viewers / 60
            ),
            "cpu_cores_during_audience": load_cpu,
            "other_processes_cores": others,
            "machine_load_average_at_end": float(Path("/proc/loadavg").read_text().split()[0]),
            "questions_phase": bool(questions_path),
            "viewers": args.viewers,
            "seconds": args.seconds,
            "server": f"gunicorn gthread {args.workers}x{args.threads}",
            "x264_preset": args.x264_preset,
        }
        figures["targets_met"] = bool(
            latencies
            and figures["latency_p50_s"] <= TARGETS["latency_p50_s"]
            and figures["latency_p95_s"] <= TARGETS["latency_p95_s"]
            and figures["stalls"] == 0
            and figures["app_p99_ms"] < TARGETS["app_p99_ms"]
            and figures["app_errors"] == 0
            and figures["replay_ready_s"] <= TARGETS["replay_ready_s"]
        )
    finally:
        if viewer is not None:
            viewer.stop.set()
        if meter is not None:
            meter.stop.set()
        for process in reversed(list(processes.values())):
            process_stop(process)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
