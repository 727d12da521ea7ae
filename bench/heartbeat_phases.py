"""The phases of the heartbeat benchmark: the minimal-view ceiling, a warm-up, the open-loop
heartbeats and the join storm, each against a running stack."""

import asyncio
import html
import re
import sys
import uuid
from collections import Counter

from heartbeat_stack import HOST
from http_load import HttpClient, Outcomes, closed_loop, open_loop, percentile, request_bytes

HEARTBEAT_PATH = "/stream/afspelen/voortgang/"
CEILING_SECONDS = 10.0
CEILING_CLIENTS = 32
JOIN_SECONDS = 10.0
REQUEST_TIMEOUT = 30.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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
