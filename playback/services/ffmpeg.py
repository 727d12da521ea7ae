"""Running ffprobe and ffmpeg on local files only, with limits, a timeout and progress."""

import contextlib
import contextvars
import ctypes
import functools
import json
import os
import resource
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

PR_SET_PDEATHSIG = 1
# How far below the web processes ffmpeg runs (its nice value): a live encoder not at all (it
# must keep pace with the presenter), an on-demand encode a little, and the work that can wait
# while a long video's first part makes it playable (cutting the source, encoding its sound)
# further still.
NICENESS = {"live": 0, "on_demand": 5, "background": 15}
_priority: contextvars.ContextVar[str] = contextvars.ContextVar("priority", default="on_demand")


@contextlib.contextmanager
def ffmpeg_in_background():
    """ffmpeg started inside runs at the background priority."""
    token = _priority.set("background")
    try:
        yield
    finally:
        _priority.reset(token)


class FfmpegError(Exception):
    def __init__(self, message: str, stderr: str = ""):
        super().__init__(message)
        self.stderr = stderr


class FfmpegTimeout(FfmpegError):
    pass


def input_options(formats: str | None = None) -> dict:
    """Options for every input: local files only, and only the demuxers a video upload needs."""
    return {
        "protocol_whitelist": "file",
        "format_whitelist": formats or settings.PLAYBACK_LIMITS["formats"],
    }


def upright_filters(rotation: int) -> list[tuple[str, ...]]:
    """The filters (name, arguments) that turn frames stored at ``rotation`` degrees clockwise
    upright. Inputs are read with ``-noautorotate``: the rotation is applied from the probe of
    the upload, so it holds for the chunks of a long video too (Matroska keeps no rotation)."""
    return {
        90: [("transpose", "clock")],
        180: [("hflip",), ("vflip",)],
        270: [("transpose", "cclock")],
    }.get(rotation, [])


def filter_text(filters: list[tuple[str, ...]]) -> list[str]:
    """Filters as they are written in a -vf chain."""
    return ["=".join(f) if len(f) > 1 else f[0] for f in filters]


def child_limits(priority: str) -> Callable[[], None]:
    """What to run in an ffmpeg child before it starts (``preexec_fn``), at this priority."""
    return functools.partial(_limit_child, niceness=NICENESS[priority])


def _limit_child(niceness: int = NICENESS["on_demand"]) -> None:
    # Dies with the worker that started it, so a killed job leaves no orphan encoder behind.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    memory = settings.PLAYBACK_FFMPEG_MEMORY_BYTES
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if niceness:
        os.nice(niceness)


def ffprobe(path: Path) -> dict:
    """ffprobe's JSON for a local file; FfmpegError when it cannot read it."""
    options = input_options()
    command = [
        settings.FFPROBE_BINARY,
        "-v", "error",
        "-protocol_whitelist", options["protocol_whitelist"],
        "-format_whitelist", options["format_whitelist"],
        "-print_format", "json",
        "-show_format",
        "-show_streams",
        f"file:{path}",
    ]  # fmt: skip
    try:
        result = subprocess.run(
            command, capture_output=True, timeout=60, preexec_fn=_limit_child, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise FfmpegTimeout("ffprobe took too long") from exc
    if result.returncode != 0:
        raise FfmpegError("ffprobe failed", result.stderr.decode(errors="replace"))
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise FfmpegError("ffprobe gave no JSON", result.stdout.decode(errors="replace")) from exc


class FfmpegProcess:
    """ffmpeg running beside its caller, with a deadline; its output is read as it comes."""

    def __init__(self, arguments: list[str], *, timeout: float, on_progress=None, live=False):
        command = [settings.FFMPEG_BINARY, "-hide_banner", "-nostdin", "-y", "-progress", "pipe:1"]
        self.process = subprocess.Popen(
            [*command, *arguments],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=child_limits("live" if live else _priority.get()),
        )
        self.deadline = time.monotonic() + timeout
        self.paused_at: float | None = None
        self.stderr_tail: deque[str] = deque(maxlen=40)
        self.readers = [
            threading.Thread(
                target=lambda: self.stderr_tail.extend(
                    line.decode(errors="replace").rstrip() for line in self.process.stderr
                ),
                daemon=True,
            ),
            threading.Thread(
                target=_read_progress, args=(self.process.stdout, on_progress), daemon=True
            ),
        ]
        for reader in self.readers:
            reader.start()

    def alive(self) -> bool:
        """Whether it still runs; past its deadline it is stopped and FfmpegTimeout raised."""
        if self.process.poll() is not None:
            return False
        if self.paused_at is None and time.monotonic() > self.deadline:
            self.stop()
            raise FfmpegTimeout("ffmpeg took too long", "\n".join(self.stderr_tail))
        return True

    def pause(self) -> None:
        """Hold it where it is (it keeps its files open); ``resume`` lets it go on. The time
        held does not count towards its deadline."""
        if self.paused_at is None and self.process.poll() is None:
            self.process.send_signal(signal.SIGSTOP)
            self.paused_at = time.monotonic()

    def resume(self) -> None:
        if self.paused_at is not None:
            self.deadline += time.monotonic() - self.paused_at
            self.paused_at = None
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGCONT)

    def wait(self, seconds: float) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=seconds)

    def stop(self) -> None:
        """Kill it if it still runs, and read what is left of its output."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for reader in self.readers:
            reader.join(timeout=5)

    def check(self) -> None:
        """FfmpegError unless it ended well."""
        if self.process.returncode != 0:
            raise FfmpegError(
                f"ffmpeg exited with {self.process.returncode}", "\n".join(self.stderr_tail)
            )


def ffmpeg_run(
    arguments: list[str],
    *,
    timeout: float,
    on_progress: Callable[[float], None] | None = None,
    while_running: Callable[[], None] | None = None,
    poll_interval: float = 0.5,
    live: bool = False,
) -> None:
    """Run ffmpeg; report encoded seconds from -progress; call while_running on every poll.
    ``live``: a live encoder, at the web processes' priority rather than below it."""
    process = FfmpegProcess(arguments, timeout=timeout, on_progress=on_progress, live=live)
    try:
        while process.alive():
            if while_running:
                while_running()
            process.wait(poll_interval)
    finally:
        process.stop()
    process.check()


def _read_progress(stream, on_progress) -> None:
    for raw in stream:
        line = raw.decode(errors="replace").strip()
        if on_progress and line.startswith("out_time_us="):
            value = line.partition("=")[2]
            if value.isdigit():
                on_progress(int(value) / 1_000_000)
