"""The test command: lint, Django's checks, the suite on real services and on the embedded stack.

With PostgreSQL and Redis answering on loopback, the whole suite (browser tests included) runs
against them and against an S3 API (moto_server, started here on a free loopback port), in three
pytest-xdist workers (tests/conftest.py says how they share the modules). Beside it, on the
embedded stack that `make run` uses (SQLite, local media, no Redis), run the modules whose code
takes another path there (``EMBEDDED_TESTS``), without their browser and slow tests. Its output
follows once it is done. Without PostgreSQL or Redis the whole suite runs on the embedded stack.

`--fast` (make test-fast) is the inner loop: ruff, Django's checks and the suite on the embedded
stack without the browser tests and the tests marked slow.

Two runs on one machine do not meet: each creates its own PostgreSQL test databases (dropped at
the end) and holds a set of Redis databases of its own through a lock file; each xdist worker
takes its own pair of that set and its own bucket (lms/settings/test.py).
"""

import fcntl
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_HOST, PG_PORT = os.environ.get("TEST_PG_HOST", "127.0.0.1"), 5432
REDIS_HOST, REDIS_PORT = os.environ.get("TEST_REDIS_HOST", "127.0.0.1"), 6379
EMBEDDED_ENV_CLEAR = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
)
# Three workers on two cores: much of the suite waits (a browser playing in real time, Celery
# workers, ffmpeg publishing), and a third worker fills those waits; a fourth only contends.
WORKER_COUNT = 3
WORKERS = [f"--numprocesses={WORKER_COUNT}", "--dist=loadgroup"]
# The (cache, broker) database pair a test run takes; xdist worker n uses the pair 2n lower, so
# the run spans databases 15 to 10. Databases 0 to 3 are for the site and benchmarks; a second
# run on the machine waits for the first.
REDIS_SLOTS = ((15, 14),)
# The modules whose code takes another path on the embedded stack: SQLite's search, locks and
# the ledger's triggers, the local cache (rate limits, sessions, shared snapshots), local media
# and files, Celery's filesystem transport, presence and heartbeats written without Redis.
EMBEDDED_TESTS = [
    "tests/lms/test_services.py",
    "tests/lms/test_settings.py",
    "tests/lms/test_queue.py",
    "tests/security/test_parallel_sessions.py",
    "tests/security/test_private_files.py",
    "tests/security/test_sign_in.py",
    "tests/catalog/test_search.py",
    "tests/catalog/test_search_tolerance.py",
    "tests/catalog/test_spoken_search.py",
    "tests/accreditation/test_ledger.py",
    "tests/accreditation/test_awards.py",
    "tests/accreditation/test_award_merge_migration.py",
    "tests/playback/test_stalled.py",
    "tests/playback/test_heartbeats.py",
    "tests/playback/test_delivery.py",
    "tests/playback/test_completion.py",
    "tests/playback/test_publishing.py",
    "tests/live/test_registration.py",
    "tests/live/test_attendance.py",
    "tests/live/test_watch.py",
    "tests/playlists/test_covers.py",
    "tests/playlists/test_paths.py",
]
REDIS_LOCKS: list = []  # open while this run lasts; the system releases them however it ends
STARTED = time.monotonic()


def step(title: str) -> None:
    print(f"\n\033[1m== {title}\033[0m  [{elapsed()}]", flush=True)


def elapsed() -> str:
    return f"{time.monotonic() - STARTED:.0f} s"


def run(command: list[str], env: dict | None = None) -> None:
    result = subprocess.run(command, cwd=ROOT, env=env)
    if result.returncode != 0:
        failed(command, result.returncode)


def failed(command: list[str], code: int) -> None:
    print(f"\nFAILED ({code}): {' '.join(command)}", flush=True)
    sys.exit(code)


class Beside:
    """A command running beside the others, its output kept until it is asked for."""

    def __init__(self, command: list[str], env: dict):
        self.command = command
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def finish(self) -> None:
        code = self.process.wait()
        self.log.seek(0)
        sys.stdout.write(self.log.read())
        sys.stdout.flush()
        if code != 0:
            failed(self.command, code)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def moto_server_start() -> tuple[subprocess.Popen, int]:
    port = free_port()
    log = open(Path(tempfile.gettempdir()) / f"moto-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while not answers("127.0.0.1", port):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"moto_server did not start; see {log.name}")
        time.sleep(0.2)
    return process, port


def redis_slot_take() -> tuple[int, int]:
    """A pair of Redis databases no other test run on this machine holds, kept until exit."""
    while True:
        for cache, broker in REDIS_SLOTS:
            path = Path(tempfile.gettempdir()) / f"leerstroom-test-redis-{cache}.lock"
            lock = open(path, "w")  # noqa: SIM115
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                lock.close()
                continue
            REDIS_LOCKS.append(lock)
            return cache, broker
        print("Every Redis pair for tests is held by other runs; waiting.", flush=True)
        time.sleep(10)


def databases_from_template(env: dict, database: str, made: list[str]) -> None:
    """Migrate once, into a template, and give each xdist worker its test database as a copy of
    it (pytest-django, told to reuse them, finds them made): a copy takes a second, the
    migrations half a minute of a core each. Each database made is added to ``made``."""
    template = f"test_{database}_template"
    with _postgres() as db:
        db.execute(f'CREATE DATABASE "{template}"')
        made.append(template)
        migrate_env = env | {"DATABASE_URL": f"postgres://postgres@{PG_HOST}:{PG_PORT}/{template}"}
        run([str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v", "0"], migrate_env)
        for n in range(WORKER_COUNT):
            copy = f"test_{database}_gw{n}"
            db.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{template}"')
            made.append(copy)


def databases_drop(names: list[str]) -> None:
    with _postgres() as db:
        for name in names:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres():
    import psycopg

    return psycopg.connect(
        f"host={PG_HOST} port={PG_PORT} user=postgres dbname=postgres", autocommit=True
    )


def embedded_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in EMBEDDED_ENV_CLEAR}
    env["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
    return env


def main() -> None:
    arguments = sys.argv[1:]
    fast = "--fast" in arguments
    if fast:
        arguments.remove("--fast")
    # The slowest 30 tests are listed at the end of each run, to keep the whole under 12 minutes.
    # Two runs at once: neither writes pytest's cache.
    pytest = [str(BIN / "pytest"), "--durations=30", "-p", "no:cacheprovider", *arguments]

    step("ruff")
    run([str(BIN / "ruff"), "check", "."])
    run([str(BIN / "ruff"), "format", "--check", "."])

    step("import-linter: the apps depend one way (contracts in pyproject.toml)")
    run([str(BIN / "lint-imports")])

    step("manage.py check and makemigrations --check")
    env = embedded_env()
    run([str(BIN / "python"), "manage.py", "check", "--fail-level", "WARNING"], env)
    run([str(BIN / "python"), "manage.py", "makemigrations", "--check", "--dry-run"], env)

    if fast:
        step("test suite on the embedded stack, without browser and slow tests")
        run([*pytest, "-m", "not browser and not slow"], env)
        print(f"\nAll checks passed in {elapsed()}.")
        return

    if answers(PG_HOST, PG_PORT) and answers(REDIS_HOST, REDIS_PORT):
        # Its own temporary folder, so neither run tidies away the other's.
        embedded = Beside(
            [
                *pytest,
                *("-m", "not browser and not slow"),
                f"--basetemp={tempfile.mkdtemp(prefix='embedded-')}",
                *([] if arguments else EMBEDDED_TESTS),
            ],
            embedded_env(),
        )
        moto, port = moto_server_start()
        cache, broker = redis_slot_take()
        database = f"leerstroom_run{os.getpid()}"
        made: list[str] = []
        try:
            step(
                f"test suite on PostgreSQL (test_{database}), Redis (databases {cache} and "
                f"{broker}) and S3 (moto_server on 127.0.0.1:{port})"
            )
            services = embedded_env() | {
                "DATABASE_URL": f"postgres://postgres@{PG_HOST}:{PG_PORT}/{database}",
                "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{cache}",
                "CELERY_BROKER_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{broker}",
                "AWS_STORAGE_BUCKET_NAME": "leerstroom-test",
                "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_S3_REGION_NAME": "us-east-1",
                "LEERSTROOM_REQUIRE_SERVICES": "1",
            }
            databases_from_template(services, database, made)
            run([*pytest, *WORKERS, "--reuse-db"], services)
        except BaseException:
            embedded.stop()
            raise
        finally:
            databases_drop(made)
            moto.terminate()
            moto.wait(timeout=10)
        step("the modules that differ on the embedded stack (SQLite, local media, no Redis),")
        print("run alongside, without their browser and slow tests")
        embedded.finish()
    else:
        print("PostgreSQL or Redis does not answer on loopback: testing the embedded stack only.")
        step("test suite on the embedded stack (SQLite, local media, no Redis)")
        run(pytest, embedded_env())

    print(f"\nAll checks passed in {elapsed()}.")


if __name__ == "__main__":
    main()
