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
sustained, p99 under 100 ms, no errors, nothing lost. ``--no-buffer`` writes each beat straight
to the database, for comparison.
"""

import argparse
import asyncio
import html
import json
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bench_database import database_prepare

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.http_load import (  # noqa: E402
    HttpClient,
    Outcomes,
    closed_loop,
    cpu_snapshot,
    cpu_use,
    open_loop,
    percentile,
    request_bytes,
    wait_until_idle,
)

DATABASE = "leerstroom_bench_heartbeats"
REDIS_CACHE = "redis://127.0.0.1:6379/9"
REDIS_BROKER = "redis://127.0.0.1:6379/8"
VAR = ROOT / "var" / "bench-heartbeats"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "localhost"
LEARNER_EMAIL = "kijker-{:05d}@webinar.leerstroom.localhost"
COURSE_SLUG = "webinar-sepsis-herkennen"
VIDEO_SECONDS = 3600.0
RENDITIONS = [
    ("1080p", 1920, 1080, 5_000_000),
    ("720p", 1280, 720, 2_800_000),
    ("360p", 640, 360, 800_000),
]
SEGMENT_SECONDS = 6
HEARTBEAT_PATH = "/stream/afspelen/voortgang/"
CEILING_SECONDS = 10.0
CEILING_CLIENTS = 32
JOIN_SECONDS = 10.0
REQUEST_TIMEOUT = 30.0
DRAIN_WAIT_SECONDS = 600
TARGET_P99_MS = 100.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def environment(*, buffer: bool) -> dict[str, str]:
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
        "LEERSTROOM_VAR_DIR": str(VAR),
    }


def django_setup(env: dict[str, str]) -> None:
    for name in [name for name in os.environ if name.startswith("AWS_")]:
        del os.environ[name]  # local storage: the benchmark measures Django, not S3
    os.environ.update(env)
    import django

    django.setup()


# --- Seeding ----------------------------------------------------------------------------


def schema() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # As a release does: the pages name hashed static files from the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)


def episode_seed():
    """The webinar: a free live course with one episode and a published one-hour video."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from django.utils import timezone

    from catalog.models import CoursePage, EpisodePage, HomePage
    from playback.models import Video

    course = CoursePage.objects.filter(slug=COURSE_SLUG).first()
    if course is not None:
        return EpisodePage.objects.child_of(course).live().specific().get()
    now = timezone.now()
    video = Video.objects.create(
        title="Sepsis herkennen in de eerste uren",
        state=Video.State.READY,
        duration=VIDEO_SECONDS,
        width=1920,
        height=1080,
        has_audio=True,
        generation=1,
        published_generation=1,
        playable_at=now,
        ready_at=now,
    )
    storage = storages["videos"]
    master = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    segments = int(VIDEO_SECONDS // SEGMENT_SECONDS)
    for name, width, height, bandwidth in RENDITIONS:
        master += [
            f"#EXT-X-STREAM-INF:BANDWIDTH={bandwidth},RESOLUTION={width}x{height},"
            f'CODECS="avc1.640028,mp4a.40.2"',
            f"{name}/index.m3u8",
        ]
        media = [
            "#EXTM3U",
            "#EXT-X-VERSION:7",
            f"#EXT-X-TARGETDURATION:{SEGMENT_SECONDS}",
            "#EXT-X-PLAYLIST-TYPE:VOD",
            '#EXT-X-MAP:URI="init.mp4"',
        ]
        for number in range(segments):
            media += [f"#EXTINF:{SEGMENT_SECONDS}.000,", f"segment-{number:05d}.m4s"]
        media.append("#EXT-X-ENDLIST")
        storage.save(
            f"{video.storage_prefix}/{name}/index.m3u8", ContentFile("\n".join(media) + "\n")
        )
    storage.save(f"{video.storage_prefix}/master.m3u8", ContentFile("\n".join(master) + "\n"))

    home = HomePage.objects.get()
    course = CoursePage(title="Webinar: sepsis herkennen", slug=COURSE_SLUG, completion_percent=90)
    home.add_child(instance=course)
    course.save_revision().publish()
    episode = EpisodePage(title="Sepsis in de eerste uren", slug="sepsis-eerste-uren", video=video)
    course.add_child(instance=episode)
    episode.save_revision().publish()
    return EpisodePage.objects.get(pk=episode.pk)


def learners_seed(count: int) -> list:
    """``count`` learners without a usable password (they signed in with a code or passkey)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    user_model = get_user_model()
    existing = user_model.objects.filter(email__endswith="@webinar.leerstroom.localhost").count()
    for start in range(existing, count, 5000):
        user_model.objects.bulk_create(
            [
                user_model(
                    email=LEARNER_EMAIL.format(number),
                    first_name="Kijker",
                    last_name=str(number),
                    password=make_password(None),
                )
                for number in range(start, min(count, start + 5000))
            ]
        )
    emails = [LEARNER_EMAIL.format(number) for number in range(count)]
    by_email = {user.email: user for user in user_model.objects.filter(email__in=emails)}
    return [by_email[email] for email in emails]


def sessions_seed(learners: list) -> list[str]:
    """A signed-in Django session per learner, written to the database and the cache as
    ``cached_db`` keeps them; returns the session keys, in the learners' order."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.contrib.sessions.models import Session
    from django.core.cache import caches
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accreditation.api import ONBOARDED_SESSION_KEY

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    Session.objects.all().delete()
    expires = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    keys, rows, cached = [], [], {}
    for learner in learners:
        key = get_random_string(32, VALID_KEY_CHARS)
        data = {
            SESSION_KEY: str(learner.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: learner.get_session_auth_hash(),
            ONBOARDED_SESSION_KEY: True,  # they completed their profile long ago
        }
        keys.append(key)
        rows.append(Session(session_key=key, session_data=store_class().encode(data)))
        rows[-1].expire_date = expires
        cached[store_class(session_key=key).cache_key] = data
    Session.objects.bulk_create(rows, batch_size=5000)
    cache = caches[settings.SESSION_CACHE_ALIAS]
    items = list(cached.items())
    for start in range(0, len(items), 5000):
        cache.set_many(dict(items[start : start + 5000]), settings.SESSION_COOKIE_AGE)
    return keys


def playback_sessions_seed(
    learners: list, session_keys: list[str], episode, *, buffer: bool
) -> list[str]:
    """A playback session per learner, started ten minutes ago so that a minute of beats is
    well inside what the wall-clock cap allows; earlier runs' sessions and progress go."""
    from django.utils import timezone

    from playback.models import PlaybackSession, ViewingProgress

    PlaybackSession.objects.all().delete()
    ViewingProgress.objects.all().delete()
    course = episode.get_parent().specific
    started = timezone.now() - timedelta(minutes=10)
    sessions = [
        PlaybackSession(
            id=uuid.uuid4(),
            user_id=learner.pk,
            episode_id=episode.pk,
            course_id=course.pk,
            duration=episode.video.duration,
            completion_share=course.completion_percent / 100,
            started_at=started,
        )
        for learner in learners
    ]
    PlaybackSession.objects.bulk_create(sessions, batch_size=5000)
    if buffer:
        from playback.services.heartbeat_buffer import session_remember

        for session, key in zip(sessions, session_keys, strict=True):  # as the endpoint does
            session_remember(session, session_key=key)
    return [str(session.pk) for session in sessions]


def redis_reset() -> None:
    """Empty the benchmark's own Redis databases (cache, sessions, buffer; broker)."""
    import redis

    for url in (REDIS_CACHE, REDIS_BROKER):
        redis.Redis.from_url(url).flushdb()


def stored_last_seq(session_ids: list[str]) -> dict[str, int]:
    from playback.models import PlaybackSession

    rows = PlaybackSession.objects.filter(pk__in=session_ids).values_list("pk", "last_seq")
    return {str(pk): last_seq for pk, last_seq in rows}


def watched_seconds_total() -> float:
    from django.db.models import Sum

    from playback.models import ViewingProgress

    return ViewingProgress.objects.aggregate(total=Sum("watched_seconds"))["total"] or 0.0


# --- The stack --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_start(env: dict, *, port: int, worker_class: str, workers: int, threads: int):
    command = [
        str(GUNICORN), "lms.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--worker-class", worker_class, "--workers", str(workers), "--threads", str(threads),
        "--backlog", "4096", "--timeout", "60", "--graceful-timeout", "5", "--keep-alive", "5",
        "--log-level", "warning", "--error-logfile", str(VAR / "gunicorn.log"),
        "--chdir", str(ROOT),
    ]  # fmt: skip
    with open(VAR / "gunicorn.log", "ab") as output:  # workers log there too
        process = subprocess.Popen(
            command, env=os.environ | env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {VAR / 'gunicorn.log'}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(
                    request_bytes("GET", "/healthz/", host=HOST, headers={"Connection": "close"})
                )
                if connection.recv(64).startswith(b"HTTP/1.1 200"):
                    return process
        except OSError:
            pass
        time.sleep(0.3)
    process_stop(process)
    raise SystemExit("gunicorn did not answer /healthz/ within 60 s")


def flusher_start(env: dict):
    """The flusher, once it has started up (its CPU use has settled)."""
    command = [str(PYTHON), "manage.py", "heartbeats_flush", "--loop"]
    process = subprocess.Popen(command, env=os.environ | env, cwd=ROOT)
    stat = Path(f"/proc/{process.pid}/stat")

    def ticks() -> int:
        fields = stat.read_text().rpartition(")")[2].split()
        return int(fields[11]) + int(fields[12])

    deadline, previous = time.monotonic() + 20, -100
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.5)
        current = ticks()
        if current - previous < 5:
            break
        previous = current
    if process.poll() is not None:
        raise SystemExit("the heartbeat flusher exited")
    return process


def process_stop(process, wait: float = 15) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(wait)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- Load -------------------------------------------------------------------------------


class Requests:
    """The prepared requests of signed-in learners, as a browser behind the TLS-terminating
    load balancer sends them."""

    def __init__(self, session_keys: list[str]):
        self.cookies = [f"sessionid={key}" for key in session_keys]

    def post_json(self, path: str, learner: int, body: bytes) -> bytes:
        return request_bytes(
            "POST",
            path,
            host=HOST,
            headers={
                "X-Forwarded-Proto": "https",
                "Origin": f"https://{HOST}",
                "Content-Type": "application/json",
                "Cookie": self.cookies[learner],
            },
            body=body,
        )

    def get(self, path: str, learner: int, accept: str = "*/*") -> bytes:
        return request_bytes(
            "GET",
            path,
            host=HOST,
            headers={
                "X-Forwarded-Proto": "https",
                "Accept": accept,
                "Cookie": self.cookies[learner],
            },
        )


def heartbeat_body(session_id: str, seq: int) -> bytes:
    start = 15 * (seq - 1)
    return (
        f'{{"session":"{session_id}","seq":{seq},"position":{start + 15},'
        f'"ranges":[[{start},{start + 15}]]}}'
    ).encode()


async def answered(client: HttpClient, request: bytes, outcomes: Outcomes):
    """The response, or None after counting why there was none."""
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT):
            return await client.send(request)
    except TimeoutError:
        outcomes.failure("timeout")
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as error:
        outcomes.failure(type(error).__name__)
    return None


async def ceiling_measure(port: int, requests: Requests, path: str) -> Outcomes:
    client, outcomes = HttpClient("127.0.0.1", port), Outcomes()
    loop = asyncio.get_running_loop()
    prepared = [requests.post_json(path, learner, b"{}") for learner in range(CEILING_CLIENTS)]

    async def fire(index: int, due: float) -> None:
        response = await answered(client, prepared[index % CEILING_CLIENTS], outcomes)
        if response is not None:
            outcomes.statuses[response[0]] += 1
            outcomes.latencies.append(loop.time() - due)

    await closed_loop(
        seconds=CEILING_SECONDS, concurrency=CEILING_CLIENTS, fire=fire, outcomes=outcomes
    )
    client.close()
    return outcomes


async def warm_up(port: int, requests: Requests, page_path: str, seconds: float = 3) -> None:
    """Every worker imports, connects and renders once before anything is measured; beats for
    a session that does not exist take the heartbeat path without changing any data."""
    client, outcomes = HttpClient("127.0.0.1", port), Outcomes()
    learner = len(requests.cookies) - 1
    unknown = requests.post_json(HEARTBEAT_PATH, learner, heartbeat_body(str(uuid.uuid4()), 1))
    page = requests.get(page_path, learner, "text/html")

    async def fire(index: int, due: float) -> None:
        await answered(client, page if index % 10 == 0 else unknown, outcomes)

    await closed_loop(seconds=seconds, concurrency=8, fire=fire, outcomes=outcomes)
    client.close()


async def heartbeats_drive(
    port: int, requests: Requests, session_ids: list[str], *, rate: float, seconds: float
) -> tuple[Outcomes, list[int]]:
    """Beats at a constant rate; returns the outcomes and, per viewer, the sequence numbers
    answered 204 (as a bit set: bit n for seq n)."""
    viewers = len(session_ids)
    total = round(rate * seconds)
    client, outcomes = HttpClient("127.0.0.1", port), Outcomes()
    acknowledged = [0] * viewers
    loop = asyncio.get_running_loop()

    async def fire(index: int, due: float) -> None:
        viewer, seq = index % viewers, index // viewers + 1
        body = heartbeat_body(session_ids[viewer], seq)
        request = requests.post_json(HEARTBEAT_PATH, viewer, body)
        response = await answered(client, request, outcomes)
        if response is None:
            return
        outcomes.latencies.append(loop.time() - due)
        outcomes.statuses[response[0]] += 1
        if response[0] == 204:
            acknowledged[viewer] |= 1 << seq
        else:
            outcomes.failure(f"HTTP {response[0]}")

    def progress(sent: int, in_flight: int) -> None:
        done = len(outcomes.latencies)
        recent = outcomes.latencies[-2000:]
        log(
            f"  heartbeats: {sent:6} started, {done:6} answered, {in_flight:5} in flight, "
            f"p99 of the last {len(recent)}: {percentile(recent, 0.99) * 1000:.0f} ms, "
            f"{sum(outcomes.errors.values())} errors"
        )

    await open_loop(total=total, rate=rate, fire=fire, outcomes=outcomes, progress=progress)
    client.close()
    outcomes.statuses["connections"] = client.connections_opened
    return outcomes, acknowledged


async def join_storm(
    port: int, requests: Requests, page_path: str, fallback_masters: list[str]
) -> tuple[Outcomes, int]:
    """Learners spread evenly over JOIN_SECONDS open the player page, then its master playlist;
    returns the outcomes (latency of the pair) and how many pages named the playlist."""
    joiners = len(fallback_masters)
    client, outcomes = HttpClient("127.0.0.1", port), Outcomes()
    loop = asyncio.get_running_loop()
    from_page = Counter()
    master_attribute = re.compile(rb'data-master-url="([^"]+)"')

    async def fire(index: int, due: float) -> None:
        response = await answered(client, requests.get(page_path, index, "text/html"), outcomes)
        if response is None:
            return
        if response[0] != 200:
            outcomes.failure(f"page HTTP {response[0]}")
            return
        found = master_attribute.search(response[2])
        from_page[bool(found)] += 1
        master = html.unescape(found[1].decode()) if found else fallback_masters[index]
        response = await answered(client, requests.get(master, index), outcomes)
        if response is None:
            return
        if response[0] != 200 or b"application/vnd.apple.mpegurl" not in response[1].lower():
            outcomes.failure(f"playlist HTTP {response[0]}")
            return
        outcomes.latencies.append(loop.time() - due)
        outcomes.statuses[200] += 1

    await open_loop(total=joiners, rate=joiners / JOIN_SECONDS, fire=fire, outcomes=outcomes)
    client.close()
    return outcomes, from_page[True]


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
    env = environment(buffer=buffer)
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
        )
    finally:
        process_stop(flusher)
        process_stop(server)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
