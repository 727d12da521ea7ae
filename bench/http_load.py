"""A lean HTTP/1.1 load generator on asyncio: raw requests over loopback, open-loop schedules at
a constant arrival rate, closed loops for a ceiling, and CPU use per process group.

Requests are prepared bytes and responses are parsed only as far as status, headers and body
length, so the generator leaves as much of the machine to the server as it can. Connections
are kept alive when the server allows it (gthread workers) and opened per request when it
does not (sync workers answer ``Connection: close``)."""

import asyncio
import os
import re
import resource
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class HttpClient:
    """Requests to one host and port over at most ``max_connections`` connections at a time,
    as a load balancer's pool to one server: a request waits for a free connection (its
    latency still counts from its scheduled time), and idle connections are kept alive."""

    def __init__(self, host: str, port: int, max_connections: int = 512):
        self.host, self.port = host, port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.connections_opened = 0
        self.slots = asyncio.Semaphore(max_connections)

    async def send(self, request: bytes) -> tuple[int, bytes, bytes]:
        async with self.slots:
            return await self._send(request)

    async def _send(self, request: bytes) -> tuple[int, bytes, bytes]:
        reused = bool(self.idle)
        if reused:
            reader, writer = self.idle.pop()
        else:
            reader, writer = await asyncio.open_connection(self.host, self.port)
            self.connections_opened += 1
        try:
            writer.write(request)
            status, head, body, keep = await _response(reader)
        except (ConnectionError, asyncio.IncompleteReadError):
            writer.close()
            if reused:  # the server closed an idle connection: try again on another
                return await self._send(request)
            raise
        except BaseException:
            writer.close()
            raise
        if keep:
            self.idle.append((reader, writer))
        else:
            writer.close()
        return status, head, body

    def close(self) -> None:
        for _reader, writer in self.idle:
            writer.close()
        self.idle.clear()


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes, bytes, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    keep = b"\r\nconnection: close" not in lower
    length = _LENGTH.search(lower)
    if length:
        body = await reader.readexactly(int(length[1]))
    elif b"\r\ntransfer-encoding: chunked" in lower:
        body = await _chunked(reader)
    elif status in (204, 304) or status < 200:
        body = b""
    else:
        body, keep = await reader.read(), False
    return status, head, body, keep


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


def request_bytes(
    method: str, path: str, *, host: str, headers: dict[str, str], body: bytes = b""
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@dataclass
class Outcomes:
    """What a load phase saw: latencies in seconds of answered requests, statuses, errors."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    started: float = 0.0
    finished: float = 0.0
    launch_lag_max: float = 0.0

    def failure(self, reason: str) -> None:
        self.errors[reason] += 1


async def open_loop(*, total: int, rate: float, fire, outcomes: Outcomes, progress=None) -> None:
    """Start ``fire(index, due)`` for ``total`` requests at ``rate`` per second, each at its
    scheduled time whether or not earlier ones have been answered (no coordinated omission:
    ``fire`` measures latency from ``due``)."""
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.2
    outcomes.started = start
    pending: set[asyncio.Task] = set()
    next_report = start + 5
    for index in range(total):
        due = start + index / rate
        wait = due - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        else:
            outcomes.launch_lag_max = max(outcomes.launch_lag_max, -wait)
            if index % 64 == 0:  # behind schedule: still let the requests started go out
                await asyncio.sleep(0)
        task = loop.create_task(fire(index, due))
        pending.add(task)
        task.add_done_callback(pending.discard)
        if progress and due >= next_report:
            progress(index + 1, len(pending))
            next_report += 5
    while pending:
        await asyncio.gather(*list(pending))
    outcomes.finished = loop.time()


async def closed_loop(*, seconds: float, concurrency: int, fire, outcomes: Outcomes) -> None:
    """``concurrency`` clients, each sending its next request as soon as the last is answered."""
    loop = asyncio.get_running_loop()
    outcomes.started = loop.time()
    deadline = outcomes.started + seconds

    async def client(number: int) -> None:
        sent = 0
        while loop.time() < deadline:
            await fire(number + sent * concurrency, loop.time())
            sent += 1

    await asyncio.gather(*(client(number) for number in range(concurrency)))
    outcomes.finished = loop.time()


def process_tree_ticks(root: int) -> int:
    """CPU ticks used so far by a process and its children."""
    snapshot = cpu_snapshot().processes
    children: dict[int, list[int]] = {}
    for pid, (_command, parent, _ticks) in snapshot.items():
        children.setdefault(parent, []).append(pid)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += snapshot.get(pid, ("", 0, 0))[2]
        stack += children.get(pid, [])
    return total


def wait_until_idle(root: int, *, limit: float = 180, share: float = 0.05) -> float:
    """Wait until a process tree uses less than ``share`` of a core; returns seconds waited."""
    started = time.monotonic()
    previous = process_tree_ticks(root)
    while time.monotonic() - started < limit:
        time.sleep(1)
        current = process_tree_ticks(root)
        if current - previous < share * CLOCK_TICKS:
            break
        previous = current
    return time.monotonic() - started


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- CPU use --------------------------------------------------------------------------


@dataclass
class CpuSnapshot:
    at: float
    machine_busy: int
    machine_total: int
    processes: dict[int, tuple[str, int, int]]  # pid: (command, parent pid, ticks)
    own: float


def cpu_snapshot() -> CpuSnapshot:
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    ticks = [int(value) for value in fields]
    idle = ticks[3] + ticks[4]
    processes = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        command = raw[raw.index("(") + 1 : raw.rindex(")")]
        rest = raw[raw.rindex(")") + 2 :].split()
        processes[int(entry.name)] = (command, int(rest[1]), int(rest[11]) + int(rest[12]))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return CpuSnapshot(
        time.monotonic(), sum(ticks) - idle, sum(ticks), processes, usage.ru_utime + usage.ru_stime
    )


def cpu_use(before: CpuSnapshot, after: CpuSnapshot, *, groups: dict[str, set[int]]) -> dict:
    """Cores used per group over the interval: this process (the generator), the given process
    trees by their root pids, PostgreSQL and Redis, and the whole machine."""
    wall = after.at - before.at
    children: dict[int, list[int]] = {}
    for pid, (_command, parent, _ticks) in after.processes.items():
        children.setdefault(parent, []).append(pid)

    def tree(roots: set[int]) -> set[int]:
        found, stack = set(), list(roots)
        while stack:
            pid = stack.pop()
            if pid not in found:
                found.add(pid)
                stack += children.get(pid, [])
        return found

    def cores(pids) -> float:
        spent = 0
        for pid in pids:
            if pid in after.processes:
                previous = before.processes.get(pid)
                same = previous and previous[0] == after.processes[pid][0]
                spent += after.processes[pid][2] - (previous[2] if same else 0)
        return round(spent / CLOCK_TICKS / wall, 2)

    figures = {name: cores(tree(roots)) for name, roots in groups.items()}
    by_command = {
        name: [pid for pid, info in after.processes.items() if info[0].startswith(prefix)]
        for name, prefix in (("postgres", "postgres"), ("redis", "redis-server"))
    }
    figures |= {name: cores(pids) for name, pids in by_command.items()}
    figures["load_generator"] = round((after.own - before.own) / wall, 2)
    machine = (after.machine_busy - before.machine_busy) / max(
        1, after.machine_total - before.machine_total
    )
    figures["machine_busy_share"] = round(machine, 2)
    return figures
