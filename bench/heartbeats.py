"""The webinar benchmark: 20,000 viewers sending heartbeats, and 2,000 learners joining at once.

Starts the production stack on loopback — gunicorn with the production settings (DEBUG off, the
real middleware, ``cached_db`` sessions in Redis), PostgreSQL (database
``leerstroom_bench_heartbeats``, made fresh unless ``--keep``), Redis (db 9 for the cache,
sessions and heartbeat buffer; db 8 for the Celery broker) and the heartbeat flusher
(``manage.py heartbeats_flush --loop``) — and signs in ``--viewers`` learners by writing their
sessions, as if they had logged in earlier with "remember me".

    ceiling     a view that returns 204 through the same server, middleware and session cookie,
                as fast as 32 clients can go for 10 s (closed loop): the most this stack can do
    join        ``--joiners`` signed-in learners spread evenly over 10 s open the episode page and
                fetch its master playlist
    heartbeats  every viewer beats every viewers/rate seconds (20,000 / 1,333 per s = 15 s) for
                ``--seconds``; open loop: each beat starts at its scheduled time whatever the
                server does, and its latency counts from then; the generator holds at most 512
                connections to the server, as a load balancer's pool would
    stored      the flusher is stopped once it has emptied the queue, ``manage.py
                heartbeats_flush`` drains the rest; a beat answered 204 whose sequence number is
                above its session's stored ``last_seq`` is lost

The last line on stdout is JSON (``heartbeat_rps``, ``heartbeat_p50_ms``, ``heartbeat_p99_ms``,
``errors``, ``lost``, ``minimal_view_rps``, ``ratio_vs_minimal_view``, ``join_p95_ms``,
``join_errors``, ``targets_met``, CPU use per process group). Targets on 2 cores: the full rate
sustained, p99 under 100 ms, no errors, nothing lost; every joiner has the page and its playlist,
95% of them within 2 s. ``--no-buffer`` writes each beat straight to the database and
``--no-page-cache`` reads every episode page afresh, for comparison.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench_database import database_prepare
from heartbeat_phases import (
    JOIN_SECONDS,
    Requests,
    ceiling_measure,
    heartbeats_drive,
    join_storm,
    log,
    warm_up,
)
from heartbeat_seed import (
    REDIS_BROKER,
    REDIS_CACHE,
    episode_seed,
    learners_seed,
    playback_sessions_seed,
    redis_reset,
    schema,
    sessions_seed,
)
from heartbeat_stack import (
    HOST,
    PYTHON,
    VAR,
    flusher_start,
    free_port,
    process_stop,
    server_start,
)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from http_load import (  # noqa: E402
    cpu_snapshot,
    cpu_use,
    percentile,
    wait_until_idle,
)

DATABASE = "leerstroom_bench_heartbeats"
DRAIN_WAIT_SECONDS = 600
TARGET_P99_MS = 100.0
# A learner joining a webinar has the page and its playlist within 2 s.
TARGET_JOIN_P95_MS = 2000.0


def environment(*, buffer: bool, page_cache: bool = True) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.heartbeat_settings",
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-" + "k" * 50,
        "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "SITE_URL": f"https://{HOST}",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": REDIS_CACHE,
        "CELERY_BROKER_URL": REDIS_BROKER,
        "PLAYBACK_HEARTBEAT_BUFFER": "true" if buffer else "false",
        "CATALOG_PAGE_CACHE": "true" if page_cache else "false",
        "LEERSTROOM_VAR_DIR": str(VAR),
    }


def django_setup(env: dict[str, str]) -> None:
    for name in [name for name in os.environ if name.startswith("AWS_")]:
        del os.environ[name]  # local storage: the benchmark measures Django, not S3
    os.environ.update(env)
    import django

    django.setup()


# --- Seeding ----------------------------------------------------------------------------


def stored_last_seq(session_ids: list[str]) -> dict[str, int]:
    from playback.models import PlaybackSession

    rows = PlaybackSession.objects.filter(pk__in=session_ids).values_list("pk", "last_seq")
    return {str(pk): last_seq for pk, last_seq in rows}


def watched_seconds_total() -> float:
    from django.db.models import Sum

    from playback.models import ViewingProgress

    return ViewingProgress.objects.aggregate(total=Sum("watched_seconds"))["total"] or 0.0


# --- The stack --------------------------------------------------------------------------


def masters_for(learners: list, episode) -> list[str]:
    from playback.delivery import master_url

    return [master_url(video=episode.video, user=learner) for learner in learners]


def queue_length() -> int | None:
    try:
        from playback.services.heartbeat_buffer import QUEUE_KEY
    except ImportError:
        return None
    import redis

    return redis.Redis.from_url(REDIS_CACHE).llen(QUEUE_KEY)


def milliseconds(seconds: float) -> float:
    return round(seconds * 1000, 1)


# --- Main -------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=20_000 / 15, help="heartbeats per second")
    parser.add_argument("--seconds", type=float, default=60, help="how long to send heartbeats")
    parser.add_argument("--viewers", type=int, default=20_000)
    parser.add_argument("--joiners", type=int, default=2_000, help="learners in the join storm")
    parser.add_argument("--keep", action="store_true", help="reuse an earlier run's database")
    parser.add_argument(
        "--no-buffer", action="store_true", help="write each heartbeat straight to the database"
    )
    parser.add_argument(
        "--no-page-cache", action="store_true", help="read every episode page afresh, to compare"
    )
    # gthread keeps connections alive (sync workers close each one) and lets a worker wait on
    # PostgreSQL and Redis in several threads; four processes use both cores despite the GIL.
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="gthread")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--skip-join", action="store_true", help="heartbeats only")
    args = parser.parse_args()
    buffer = not args.no_buffer
    joiners = min(args.joiners, args.viewers - 1)

    VAR.mkdir(parents=True, exist_ok=True)
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))  # an open loop needs sockets
    env = environment(buffer=buffer, page_cache=not args.no_page_cache)
    database_prepare(DATABASE, keep=args.keep)
    django_setup(env)
    started = time.perf_counter()
    schema()
    redis_reset()
    episode = episode_seed()
    learners = learners_seed(args.viewers)
    session_keys = sessions_seed(learners)
    session_ids = playback_sessions_seed(learners, session_keys, episode, buffer=buffer)
    page_path = episode.get_url()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    log(
        f"{args.viewers} signed-in viewers with a playback session of {page_path} ready in "
        f"{time.perf_counter() - started:.0f} s (buffer {'on' if buffer else 'off'})"
    )

    import uvloop

    requests = Requests(session_keys)
    port = free_port()
    server = flusher = None
    figures: dict = {}
    try:
        server = server_start(
            env,
            port=port,
            worker_class=args.worker_class,
            workers=args.workers,
            threads=args.threads,
        )
        flusher = flusher_start(env) if buffer else None
        groups = {"gunicorn": {server.pid}} | ({"flusher": {flusher.pid}} if flusher else {})
        log(
            f"gunicorn on 127.0.0.1:{port}: {args.workers} {args.worker_class} workers"
            + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
        )
        uvloop.run(warm_up(port, requests, page_path))

        from bench.heartbeat_urls import MINIMAL_PATH

        before = cpu_snapshot()
        ceiling = uvloop.run(ceiling_measure(port, requests, f"/{MINIMAL_PATH}"))
        ceiling_cpu = cpu_use(before, cpu_snapshot(), groups=groups)
        minimal_rps = ceiling.statuses[204] / (ceiling.finished - ceiling.started)
        log(
            f"ceiling: minimal view {minimal_rps:.0f}/s, p50 "
            f"{milliseconds(percentile(ceiling.latencies, 0.5))} ms, "
            f"{sum(ceiling.errors.values())} errors; CPU {ceiling_cpu}"
        )

        join = None
        if not args.skip_join:
            masters = masters_for(learners[:joiners], episode)
            before = cpu_snapshot()
            join, from_page = uvloop.run(join_storm(port, requests, page_path, masters))
            join_cpu = cpu_use(before, cpu_snapshot(), groups=groups)
            log(
                f"join: {joiners} learners in {JOIN_SECONDS:.0f} s, p50 "
                f"{milliseconds(percentile(join.latencies, 0.5))} ms, p95 "
                f"{milliseconds(percentile(join.latencies, 0.95))} ms, errors {dict(join.errors)}, "
                f"playlist named on the page {from_page}/{joiners}; CPU {join_cpu}"
            )

        idle = wait_until_idle(server.pid)
        log(f"server idle after {idle:.0f} s")
        log(f"heartbeats: {args.rate:.0f}/s from {args.viewers} viewers for {args.seconds:.0f} s")
        before = cpu_snapshot()
        beats, acknowledged = uvloop.run(
            heartbeats_drive(port, requests, session_ids, rate=args.rate, seconds=args.seconds)
        )
        beats_cpu = cpu_use(before, cpu_snapshot(), groups=groups)
        backlog_seconds = wait_until_idle(server.pid)  # requests the server still had queued
        waiting = queue_length() if buffer else None
        drain_started = time.perf_counter()
        if buffer:
            log(f"draining {waiting} buffered heartbeats")
            # The flusher finishes the queue it is working through before it stops.
            process_stop(flusher, wait=DRAIN_WAIT_SECONDS)
            for _attempt in range(10):
                subprocess.run(
                    [str(PYTHON), "manage.py", "heartbeats_flush"],
                    env=os.environ | env,
                    cwd=ROOT,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                if not queue_length():
                    break
        drain_seconds = time.perf_counter() - drain_started
        stored = stored_last_seq(session_ids)
        acknowledged_total = sum(bin(bits).count("1") for bits in acknowledged)
        lost = sum(
            bin(bits >> (stored.get(session_id, 0) + 1)).count("1")
            for bits, session_id in zip(acknowledged, session_ids, strict=True)
        )
        ok = beats.statuses[204]
        heartbeat_rps = ok / (beats.finished - beats.started)
        errors = sum(beats.errors.values())
        log(
            f"heartbeats: {heartbeat_rps:.0f}/s answered 204, p50 "
            f"{milliseconds(percentile(beats.latencies, 0.5))} ms, p99 "
            f"{milliseconds(percentile(beats.latencies, 0.99))} ms, errors {dict(beats.errors)}; "
            f"{acknowledged_total} acknowledged, {sum(stored.values())} stored, {lost} lost "
            f"(queue {waiting} at the end, drained in {drain_seconds:.1f} s); CPU {beats_cpu}"
        )

        figures = {
            "heartbeat_rps": round(heartbeat_rps, 1),
            "heartbeat_offered_rps": round(args.rate, 1),
            "heartbeat_p50_ms": milliseconds(percentile(beats.latencies, 0.5)),
            "heartbeat_p99_ms": milliseconds(percentile(beats.latencies, 0.99)),
            "heartbeat_max_ms": milliseconds(max(beats.latencies, default=0)),
            "errors": errors,
            "error_kinds": dict(beats.errors),
            "acknowledged": acknowledged_total,
            "stored": sum(stored.values()),
            "lost": lost,
            "buffer": buffer,
            "page_cache": not args.no_page_cache,
            "buffer_queue_at_end": waiting,
            "server_busy_after_load_s": round(backlog_seconds),
            "drain_s": round(drain_seconds, 1),
            "buffer_queue_after_drain": queue_length() if buffer else None,
            "watched_seconds_stored": watched_seconds_total(),
            "generator_launch_lag_max_ms": milliseconds(beats.launch_lag_max),
            "heartbeat_cpu_cores": beats_cpu,
            "minimal_view_rps": round(minimal_rps, 1),
            "minimal_view_p50_ms": milliseconds(percentile(ceiling.latencies, 0.5)),
            "minimal_view_cpu_cores": ceiling_cpu,
            "ratio_vs_minimal_view": round(heartbeat_rps / minimal_rps, 2),
            "viewers": args.viewers,
            "seconds": args.seconds,
            "server": f"gunicorn {args.worker_class} {args.workers}x{args.threads}",
        }
        if join is not None:
            figures |= {
                "join_p50_ms": milliseconds(percentile(join.latencies, 0.5)),
                "join_p95_ms": milliseconds(percentile(join.latencies, 0.95)),
                # Learners served (page and playlist) per second, first arrival to last answer.
                "join_served_per_s": round(len(join.latencies) / (join.finished - join.started), 1),
                "join_errors": joiners - len(join.latencies),
                "join_error_kinds": dict(join.errors),
                "join_playlist_named_on_page": from_page,
                "join_cpu_cores": join_cpu,
            }
        figures["targets_met"] = (
            heartbeat_rps >= 0.99 * args.rate
            and figures["heartbeat_p99_ms"] < TARGET_P99_MS
            and errors == 0
            and lost == 0
            and figures.get("join_errors", 0) == 0
            and figures.get("join_p95_ms", 0) < TARGET_JOIN_P95_MS
        )
    finally:
        process_stop(flusher)
        process_stop(server)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
