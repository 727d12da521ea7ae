"""The app-tier traffic of a webinar's audience, open loop: joins (the watch page) spread over
10 s, presence beats, question-list reads and the rare cookie renewal, all at their scheduled
times whatever the server does; and what the players ask of storage/CDN instead, computed
from the stored playlists."""

import asyncio
import re
import secrets
from collections import Counter

from heartbeat_phases import answered, log
from heartbeat_stack import HOST
from http_load import HttpClient, Outcomes, closed_loop, open_loop, percentile, request_bytes

JOIN_SECONDS = 10.0
# A viewer opens the page again for a new stream cookie about once an hour (decision 17).
RENEWALS_PER_VIEWER_HOUR = 1.0
_PASS = re.compile(rb"\r\nset-cookie: live_questions=([^;\r]+)", re.IGNORECASE)


class Viewers:
    """The signed-in viewers' cookies: the sign-in, a CSRF token (the page's script sends it
    back as a header) and, once the first question-list read has given it, the questions pass."""

    def __init__(self, session_keys: list[str]):
        self.tokens = [secrets.token_hex(16) for _key in session_keys]
        self.cookies = [
            f"sessionid={key}; csrftoken={token}"
            for key, token in zip(session_keys, self.tokens, strict=True)
        ]
        self.passes: list[str] = [""] * len(session_keys)

    def cookie(self, viewer: int) -> str:
        questions_pass = self.passes[viewer]
        return self.cookies[viewer] + (
            f"; live_questions={questions_pass}" if questions_pass else ""
        )

    def get(self, path: str, viewer: int, accept: str) -> bytes:
        headers = {"X-Forwarded-Proto": "https", "Accept": accept, "Cookie": self.cookie(viewer)}
        return request_bytes("GET", path, host=HOST, headers=headers)

    def post(self, path: str, viewer: int) -> bytes:
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}/",
            "Content-Type": "application/json",
            "X-CSRFToken": self.tokens[viewer],
            "Cookie": self.cookie(viewer),
        }
        return request_bytes("POST", path, host=HOST, headers=headers, body=b"{}")


async def warm_up(port: int, viewers: Viewers, watch_path: str, seconds: float = 3) -> None:
    """Every worker imports, connects and renders the watch page before anything is measured."""
    client, outcomes = HttpClient("127.0.0.1", port), Outcomes()
    last = len(viewers.cookies) - 1

    async def fire(index: int, due: float) -> None:
        await answered(client, viewers.get(watch_path, last - index % 8, "text/html"), outcomes)

    await closed_loop(seconds=seconds, concurrency=8, fire=fire, outcomes=outcomes)
    client.close()


async def audience_drive(
    port: int,
    viewers: Viewers,
    *,
    count: int,
    seconds: float,
    watch_path: str,
    beat_path: str,
    questions_path: str | None,
    beat_seconds: float,
    question_seconds: float,
    took_part_share: float,
) -> dict[str, Outcomes]:
    """Every kind of request at once for ``seconds``; returns the outcomes per kind. Only the
    viewers who asked or voted (``took_part_share``) read the question list from the app; the
    others read the list the stream publishes, from storage (``storage_question_reads``)."""
    client = HttpClient("127.0.0.1", port, max_connections=512)
    loop = asyncio.get_running_loop()
    kinds = ["join", "beat", "renew"] + (["questions"] if questions_path else [])
    outcomes = {kind: Outcomes() for kind in kinds}

    def firing(kind: str, make, *, keep_pass: bool = False, among: int = count):
        async def fire(index: int, due: float) -> None:
            viewer = index % among
            response = await answered(client, make(viewer), outcomes[kind])
            if response is None:
                return
            status, head, _body = response
            outcomes[kind].statuses[status] += 1
            outcomes[kind].latencies.append(loop.time() - due)
            if status != 200:
                outcomes[kind].failure(f"HTTP {status}")
            elif keep_pass and not viewers.passes[viewer]:
                found = _PASS.search(head)
                if found:
                    viewers.passes[viewer] = found[1].decode()

        return fire

    def page(viewer: int) -> bytes:
        return viewers.get(watch_path, viewer, "text/html")

    phases = [
        open_loop(
            total=count,
            rate=count / JOIN_SECONDS,
            fire=firing("join", page),
            outcomes=outcomes["join"],
        ),
        open_loop(
            total=round(count * seconds / beat_seconds),
            rate=count / beat_seconds,
            fire=firing("beat", lambda viewer: viewers.post(beat_path, viewer)),
            outcomes=outcomes["beat"],
            progress=_progress(outcomes),
        ),
    ]
    renewals = round(count * RENEWALS_PER_VIEWER_HOUR * seconds / 3600)
    if renewals:
        phases.append(
            open_loop(
                total=renewals,
                rate=renewals / seconds,
                fire=firing("renew", page),
                outcomes=outcomes["renew"],
            )
        )
    took_part = max(1, round(count * took_part_share))
    if questions_path:
        phases.append(
            open_loop(
                total=round(took_part * seconds / question_seconds),
                rate=took_part / question_seconds,
                fire=firing(
                    "questions",
                    lambda viewer: viewers.get(questions_path, viewer, "application/json"),
                    keep_pass=True,
                    among=took_part,
                ),
                outcomes=outcomes["questions"],
            )
        )
    await asyncio.gather(*phases)
    client.close()
    return outcomes


def _progress(outcomes: dict[str, Outcomes]):
    def report(_sent: int, in_flight: int) -> None:
        parts = []
        for kind, outcome in outcomes.items():
            recent = outcome.latencies[-2000:]
            p99 = percentile(recent, 0.99) * 1000 if recent else 0
            parts.append(f"{kind} {len(outcome.latencies)} (p99 {p99:.0f} ms)")
        errors = sum(sum(outcome.errors.values()) for outcome in outcomes.values())
        log(f"  app: {', '.join(parts)}; {in_flight} beats in flight, {errors} errors")

    return report


def app_figures(outcomes: dict[str, Outcomes]) -> dict:
    """One figure for the app tier (all kinds together) and one per kind."""
    latencies = [value for outcome in outcomes.values() for value in outcome.latencies]
    started = min(outcome.started for outcome in outcomes.values())
    finished = max(outcome.finished for outcome in outcomes.values())
    answered_ok = sum(outcome.statuses[200] for outcome in outcomes.values())
    errors = Counter()
    for kind, outcome in outcomes.items():
        errors.update({f"{kind} {reason}": n for reason, n in outcome.errors.items()})
    figures = {
        "app_rps": round(answered_ok / (finished - started), 1),
        "app_p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
        "app_p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "app_errors": sum(errors.values()),
        "app_error_kinds": dict(errors),
    }
    for kind, outcome in outcomes.items():
        figures[f"{kind}_requests"] = len(outcome.latencies)
        figures[f"{kind}_p99_ms"] = round(percentile(outcome.latencies, 0.99) * 1000, 1)
    return figures


# --- What goes to storage / the CDN ---------------------------------------------------------


def storage_question_reads(question_seconds: float, took_part_share: float) -> float:
    """A viewer who has not asked or voted reads the published list every refresh."""
    return round((1 - took_part_share) * 60 / question_seconds, 1)


def storage_requests_per_viewer_minute(storage, prefix: str, question_reads: float) -> dict:
    """From the stored playlists: a player refreshes each media playlist it plays (one video
    rung and the audio) every target duration, and fetches each of their segments once; and
    the published question list, ``question_reads`` a minute."""
    master = storage.open(f"{prefix}/master.m3u8").read().decode()
    # The smallest rung, as the measuring browser plays it, and the audio.
    video = re.findall(r"#EXT-X-STREAM-INF:[^\n]*?\bBANDWIDTH=(\d+)[^\n]*\n([^#\s][^\n]*)", master)
    audio = re.findall(r'TYPE=AUDIO[^\n]*URI="([^"]+)"', master)
    played = [min(video, key=lambda v: int(v[0]))[1]] + audio[:1]
    playlists, segments, reload_bytes, full_bytes = 0.0, 0.0, 0.0, 0
    longest: dict[str, float] = {}
    for name in played:
        text = storage.open(f"{prefix}/{name}").read().decode()
        target = float(re.search(r"#EXT-X-TARGETDURATION:(\d+)", text)[1])
        durations = [float(value) for value in re.findall(r"#EXTINF:([\d.]+)", text)]
        mean = sum(durations) / len(durations) if durations else target
        # A segment much longer than the others is a gap in that track's timestamps.
        longest[name.split("/")[0]] = max(durations, default=0.0)
        playlists += 60 / target
        segments += 60 / mean
        # A reload asks for the delta update (decision 17), the full playlist only at join.
        delta = f"{prefix}/{name.removesuffix('index.m3u8')}delta.m3u8"
        reload_bytes += (storage.size(delta) if storage.exists(delta) else len(text)) * 60 / target
        full_bytes = max(full_bytes, len(text))
    return {
        "requests_to_storage_per_viewer_min": round(playlists + segments + question_reads, 1),
        "storage_question_requests_per_viewer_min": question_reads,
        "storage_playlist_requests_per_viewer_min": round(playlists, 1),
        "storage_playlist_kb_per_viewer_min": round(reload_bytes / 1000, 1),
        "full_playlist_bytes_at_end": full_bytes,
        "longest_segment_s": longest,
        "storage_segment_requests_per_viewer_min": round(segments, 1),
        "storage_tracks_per_viewer": len(played),
    }
