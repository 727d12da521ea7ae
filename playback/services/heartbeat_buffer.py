"""Heartbeats buffered in Redis and written to the database in batches.

At webinar scale every viewer beats every ~10 s; writing each beat to PostgreSQL as it arrives
costs two row locks and two updates per request. With the buffer, a request costs one Redis
round trip: a script checks that the playback session is this learner's and that the beat is
new (sequence numbers only go up), then queues it with the time it arrived. The flusher takes a
batch off the queue, locks the sessions and progress rows involved once, applies the beats in
order with the same rules as the direct path (``beat_apply``), and only then removes the batch
from the queue. A flusher that dies mid-batch leaves the batch queued; applying it again changes
nothing, because the database keeps each session's last sequence number too.
"""

import json
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from functools import cache

import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import PlaybackSession, ViewingProgress
from .progress import Heartbeat, beat_apply, completions_announce, progress_rows_lock

QUEUE_KEY = "playback:heartbeats"
LOCK_KEY = "playback:heartbeats:flushing"
SESSION_KEY = "playback:session:{}"
SESSION_TTL_SECONDS = 24 * 3600
BATCH_SIZE = 1000
PROGRESS_FIELDS = [
    "watched_ranges",
    "watched_seconds",
    "position",
    "last_watched_at",
    "duration",
    "dismissed",
    "completed_at",
]

# KEYS: session hash, queue. ARGV: user id, seq, payload, ttl.
# Returns 1 queued, 0 already counted, -1 session unknown here, -2 someone else's session.
_PUSH = """
local owner = redis.call('HGET', KEYS[1], 'u')
if not owner then return -1 end
if owner ~= ARGV[1] then return -2 end
if tonumber(ARGV[2]) <= tonumber(redis.call('HGET', KEYS[1], 'q') or '0') then return 0 end
redis.call('HSET', KEYS[1], 'q', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('RPUSH', KEYS[2], ARGV[3])
return 1
"""


class BufferedBeat:
    __slots__ = ("beat", "received_at")

    def __init__(self, beat: Heartbeat, received_at: datetime):
        self.beat = beat
        self.received_at = received_at


def buffering_enabled() -> bool:
    return bool(settings.PLAYBACK_HEARTBEAT_BUFFER and settings.REDIS_URL)


@cache
def _client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


@cache
def _push_script():
    return _client().register_script(_PUSH)


def session_remember(session: PlaybackSession) -> None:
    """Let the buffer check beats of this session without asking the database."""
    key = SESSION_KEY.format(session.pk)
    pipe = _client().pipeline()
    pipe.hset(key, mapping={"u": session.user_id, "q": session.last_seq})
    pipe.expire(key, SESSION_TTL_SECONDS)
    pipe.execute()


def heartbeat_buffer(*, user_id: int, beat: Heartbeat, now: datetime | None = None) -> bool:
    """Queue one beat; False when it was already counted. Raises PlaybackSession.DoesNotExist
    when the session is not this learner's (or not a session at all)."""
    uuid.UUID(beat.session_id)  # ValueError for anything that is not a session id
    received = (now or timezone.now()).timestamp()
    payload = json.dumps([beat.session_id, beat.seq, beat.position, beat.ranges, received])
    keys = [SESSION_KEY.format(beat.session_id), QUEUE_KEY]
    args = [str(user_id), beat.seq, payload, SESSION_TTL_SECONDS]
    outcome = _push_script()(keys=keys, args=args)
    if outcome == -1:  # started before the buffer knew it, or forgotten: ask the database once
        session = PlaybackSession.objects.get(pk=beat.session_id, user_id=user_id)
        session_remember(session)
        outcome = _push_script()(keys=keys, args=args)
    if outcome == -2:
        raise PlaybackSession.DoesNotExist
    return outcome == 1


def buffer_pending() -> int:
    return _client().llen(QUEUE_KEY)


def heartbeats_flush(*, batch_size: int = BATCH_SIZE, max_batches: int | None = None) -> int:
    """Write queued beats to the database, batch by batch, until the queue is empty; returns
    how many beats were taken. One flusher at a time: others return 0 straight away."""
    client = _client()
    token = uuid.uuid4().hex
    if not client.set(LOCK_KEY, token, nx=True, px=60_000):
        return 0
    taken = 0
    try:
        batches = 0
        while max_batches is None or batches < max_batches:
            raw = client.lrange(QUEUE_KEY, 0, batch_size - 1)
            if not raw:
                break
            _batch_apply([_decode(item) for item in raw])
            client.ltrim(QUEUE_KEY, len(raw), -1)
            client.pexpire(LOCK_KEY, 60_000)
            taken += len(raw)
            batches += 1
    finally:
        if client.get(LOCK_KEY) == token.encode():
            client.delete(LOCK_KEY)
    return taken


def heartbeats_flush_forever(*, interval: float = 1.0, stop=lambda: False) -> None:
    while not stop():
        if heartbeats_flush() == 0:
            time.sleep(interval)


def _decode(item: bytes) -> BufferedBeat:
    session_id, seq, position, ranges, received = json.loads(item)
    beat = Heartbeat(session_id, seq, position, [tuple(pair) for pair in ranges])
    return BufferedBeat(beat, datetime.fromtimestamp(received, tz=UTC))


@transaction.atomic
def _batch_apply(buffered: list[BufferedBeat]) -> None:
    by_session: dict[str, list[BufferedBeat]] = defaultdict(list)
    for item in buffered:
        by_session[item.beat.session_id].append(item)
    sessions = list(
        PlaybackSession.objects.select_for_update().filter(pk__in=by_session).order_by("pk")
    )
    if not sessions:
        return
    since = min(item.received_at for item in buffered)
    progress_rows = progress_rows_lock(sessions, since=since)
    changed_sessions, completed = [], []
    for session in sessions:
        progress = progress_rows[(session.user_id, session.episode_id)]
        items = sorted(by_session[str(session.pk)], key=lambda item: item.beat.seq)
        applied = [
            beat_apply(session=session, progress=progress, beat=item.beat, now=item.received_at)
            for item in items
        ]
        if any(result is not None for result in applied):
            changed_sessions.append(session)
        if any(result is not None and result.completed_now for result in applied):
            completed.append(progress)
    PlaybackSession.objects.bulk_update(
        changed_sessions, ["last_seq", "credited_seconds", "last_beat_at"]
    )
    ViewingProgress.objects.bulk_update(
        [progress_rows[pair] for pair in _pairs(changed_sessions)], PROGRESS_FIELDS
    )
    if completed:
        completions_announce(completed)


def _pairs(sessions) -> set[tuple[int, int]]:
    return {(session.user_id, session.episode_id) for session in sessions}
