"""The production-like stack the heartbeat benchmark drives: gunicorn and the heartbeat
flusher as separate processes on loopback."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from http_load import request_bytes

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-heartbeats"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "localhost"


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
