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
import re
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from functools import cache

import redis
from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as _SESSION_CACHE_PREFIX
from django.core.cache import caches
from django.db import connection, transaction
from django.utils import timezone

from ..models import PlaybackSession, ViewingProgress
from .progress import (
    Heartbeat,
    HeartbeatRefused,
    SessionSuperseded,
    beat_apply,
    completions_announce,
    heartbeat_parse,
    progress_rows_lock,
)

QUEUE_KEY = "playback:heartbeats"
LOCK_KEY = "playback:heartbeats:flushing"
SESSION_KEY = "playback:session:{}"
SESSION_TTL_SECONDS = 24 * 3600
BATCH_SIZE = 1000
SESSION_FIELDS = ["last_seq", "credited_seconds", "last_beat_at"]
MAX_BODY_BYTES = 16 * 1024
_SESSION_KEY_SHAPE = re.compile(r"^[a-z0-9]{8,64}$")
PROGRESS_FIELDS = [
    "watched_ranges",
    "watched_seconds",
    "position",
    "last_watched_at",
    "duration",
    "dismissed",
    "completed_at",
]

# KEYS: playback session hash, queue, the Django session's cache key ("" when unused).
# ARGV: "u" with the learner's id (a request Django authenticated) or "k" with the session
# cookie's key (the fast path, no Django), seq, payload, ttl, and with "u" the session key to
# remember for the fast path. Returns 1 queued, 0 already counted, -1 "ask Django", -2 someone
# else's session, -3 superseded by a newer session (the fast path leaves that answer to Django).
_PUSH = """
local who = redis.call('HGET', KEYS[1], ARGV[1])
if not who then return -1 end
if who ~= ARGV[2] then
  if ARGV[1] == 'u' then return -2 end
  return -1
end
if redis.call('HEXISTS', KEYS[1], 's') == 1 then
  if ARGV[1] == 'u' then return -3 end
  return -1
end
if ARGV[1] == 'k' and redis.call('EXISTS', KEYS[3]) == 0 then return -1 end
if ARGV[1] == 'u' and ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'k', ARGV[6]) end
if tonumber(ARGV[3]) <= tonumber(redis.call('HGET', KEYS[1], 'q') or '0') then return 0 end
redis.call('HSET', KEYS[1], 'q', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('RPUSH', KEYS[2], ARGV[4])
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


def session_remember(session: PlaybackSession, *, session_key: str = "", superseded_ids=()) -> None:
    """Let the buffer check beats of this session without asking the database; with the
    Django session's key, beats sent with that session cookie skip Django altogether. The
    sessions it superseded are marked, so their beats are refused from now on."""
    key = SESSION_KEY.format(session.pk)
    fields = {"u": session.user_id, "q": session.last_seq}
    if session_key:
        fields["k"] = session_key
    if session.superseded_at is not None:
        fields["s"] = 1
    pipe = _client().pipeline()
    pipe.hset(key, mapping=fields)
    pipe.expire(key, SESSION_TTL_SECONDS)
    for superseded_id in superseded_ids:
        # A hash holding only the mark sends the next beat to the database, which knows.
        pipe.hset(SESSION_KEY.format(superseded_id), "s", 1)
        pipe.expire(SESSION_KEY.format(superseded_id), SESSION_TTL_SECONDS)
    pipe.execute()


def heartbeat_buffer(
    *, user_id: int, beat: Heartbeat, session_key: str = "", now: datetime | None = None
) -> bool:
    """Queue one beat from a request Django authenticated; False when it was already counted.
    Raises PlaybackSession.DoesNotExist when the session is not this learner's (or not a
    session at all), SessionSuperseded when the learner started another one on the episode."""
    uuid.UUID(beat.session_id)  # ValueError for anything that is not a session id
    outcome = _push(beat, "u", str(user_id), now=now, remember=session_key or "")
    if outcome == -1:  # started before the buffer knew it, or forgotten: ask the database once
        session = PlaybackSession.objects.get(pk=beat.session_id, user_id=user_id)
        session_remember(session, session_key=session_key)
        outcome = _push(beat, "u", str(user_id), now=now, remember=session_key or "")
    if outcome == -2:
        raise PlaybackSession.DoesNotExist
    if outcome == -3:
        raise SessionSuperseded
    return outcome == 1


def heartbeat_buffer_by_cookie(*, session_key: str, body: bytes) -> bool:
    """The fast path: queue a well-formed beat sent with the session cookie that started its
    playback session, while that Django session still exists. False means "let Django decide"
    (anything malformed, unknown, signed out or new), never that the beat was refused."""
    if not _SESSION_KEY_SHAPE.match(session_key) or len(body) > MAX_BODY_BYTES:
        return False
    try:
        beat = heartbeat_parse(json.loads(body))
        uuid.UUID(beat.session_id)
    except (HeartbeatRefused, ValueError, UnicodeDecodeError):
        return False
    session_cache_key = caches[settings.SESSION_CACHE_ALIAS].make_key(
        _SESSION_CACHE_PREFIX + session_key
    )
    return _push(beat, "k", session_key, session_cache_key=session_cache_key) in (0, 1)


def _push(beat: Heartbeat, mode: str, who: str, *, now=None, remember="", session_cache_key=""):
    received = (now or timezone.now()).timestamp()
    payload = json.dumps([beat.session_id, beat.seq, beat.position, beat.ranges, received])
    keys = [SESSION_KEY.format(beat.session_id), QUEUE_KEY, session_cache_key]
    args = [mode, who, beat.seq, payload, SESSION_TTL_SECONDS, remember]
    return _push_script()(keys=keys, args=args)


def buffer_pending() -> int:
    return _client().llen(QUEUE_KEY)


def heartbeats_flush(
    *, batch_size: int = BATCH_SIZE, max_batches: int | None = None, stop=lambda: False
) -> int:
    """Write queued beats to the database, batch by batch, until the queue is empty (or
    ``stop()``); returns how many beats were taken. One flusher at a time: others return 0
    straight away."""
    client = _client()
    token = uuid.uuid4().hex
    if not client.set(LOCK_KEY, token, nx=True, px=60_000):
        return 0
    taken = 0
    try:
        batches = 0
        while (max_batches is None or batches < max_batches) and not stop():
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


def heartbeats_flush_forever(*, interval: float = 0.5, stop=lambda: False) -> None:
    """Flush until stopped. After a short batch it waits a moment, so that at a low rate the
    database gets a few larger writes rather than a stream of tiny ones."""
    while not stop():
        if heartbeats_flush(stop=stop) < BATCH_SIZE:
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
    changed_progress = [progress_rows[pair] for pair in _pairs(changed_sessions)]
    if connection.vendor == "postgresql":
        _sessions_write(changed_sessions)
        _progress_write(changed_progress)
    else:
        PlaybackSession.objects.bulk_update(changed_sessions, SESSION_FIELDS)
        ViewingProgress.objects.bulk_update(changed_progress, PROGRESS_FIELDS)
    if completed:
        completions_announce(completed)


def _pairs(sessions) -> set[tuple[int, int]]:
    return {(session.user_id, session.episode_id) for session in sessions}


# One UPDATE per table and batch. Django's bulk_update writes a CASE per field and row, which
# for 1,000 rows is half a megabyte of SQL and most of the flusher's time.
def _sessions_write(sessions) -> None:
    _update_from_values(
        table=PlaybackSession._meta.db_table,
        key=("id", "uuid"),
        columns=[
            ("last_seq", "integer"),
            ("credited_seconds", "float8"),
            ("last_beat_at", "timestamptz"),
        ],
        rows=[(s.pk, s.last_seq, s.credited_seconds, s.last_beat_at) for s in sessions],
    )


def _progress_write(rows) -> None:
    _update_from_values(
        table=ViewingProgress._meta.db_table,
        key=("id", "bigint"),
        columns=[
            ("watched_ranges", "jsonb"),
            ("watched_seconds", "float8"),
            ("position", "float8"),
            ("last_watched_at", "timestamptz"),
            ("duration", "float8"),
            ("dismissed", "boolean"),
            ("completed_at", "timestamptz"),
        ],
        rows=[
            (
                row.pk,
                json.dumps(row.watched_ranges),
                row.watched_seconds,
                row.position,
                row.last_watched_at,
                row.duration,
                row.dismissed,
                row.completed_at,
            )
            for row in rows
        ],
    )


def _update_from_values(*, table: str, key: tuple[str, str], columns, rows) -> None:
    if not rows:
        return
    names = [key[0]] + [name for name, _type in columns]
    casts = [key[1]] + [cast for _name, cast in columns]
    row_sql = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    assignments = ", ".join(f'"{name}" = v."{name}"' for name, _type in columns)
    column_list = ", ".join(f'"{name}"' for name in names)
    sql = (
        f'UPDATE "{table}" AS t SET {assignments} '
        f"FROM (VALUES {', '.join([row_sql] * len(rows))}) AS v({column_list}) "
        f'WHERE t."{key[0]}" = v."{key[0]}"'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])
