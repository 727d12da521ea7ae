"""Presence at a live webinar kept in Redis, so that a beat costs the app tier one Redis round
trip and no database write (decision 16; the on-demand heartbeats' buffer, decision 9, is the
model).

Per session Redis holds its facts (start, end, planned minutes, online, closed) for a few
seconds, the learners whose place was checked (admitted once, at their first beat), a bitmap of
minutes seen per learner (one bit per planned minute, set by ``SETBIT``, so a second tab or a
repeated beat counts nothing extra), a snapshot of the checks not yet closed, and per learner
the checks answered. The flusher ORs the bitmaps into ``Attendance.minutes_seen``: applying a
bitmap twice changes nothing, and closing a session merges every admitted learner's bitmap
first, so the rule sees every minute.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import redis
from django.conf import settings
from django.db import transaction

from .models import Attendance, LiveSession
from .models.presence import MINUTE_SEEN, MINUTE_UNSEEN

FACTS_SECONDS = 10  # a session's facts are read from the database at most this often
CHECKS_SECONDS = 5  # and its checks; opening a check forgets the snapshot at once
KEEP_SECONDS = 2 * 24 * 3600  # admissions, bitmaps, answers: well past any session's close
DIRTY_KEY = "live:presence:dirty"
FLUSH_BATCH = 1000
# An answered set always holds this member, so an empty set is told from a forgotten one.
ANSWERED_SENTINEL = "0"


def _key(session_id: int, name: str) -> str:
    return f"live:{{{session_id}}}:{name}"  # one hash slot per session (Redis Cluster)


# KEYS: facts, admitted, seen bitmap, checks snapshot, answered, dirty set.
# ARGV: learner id, now (epoch seconds), bitmap lifetime, the dirty set's member.
# Returns {-2} closed, {-1} facts unknown, {-3} not online, {-4} not admitted yet, or
# {1, minutes seen, minutes planned, checks snapshot or nil, answered ids}.
_BEAT = """
local facts = redis.call('HMGET', KEYS[1], 'closed', 'starts', 'ends', 'planned', 'online')
if facts[1] == '1' then return {-2} end
if not facts[2] then return {-1} end
if facts[5] ~= '1' then return {-3} end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then return {-4} end
local now, starts = tonumber(ARGV[2]), tonumber(facts[2])
if now >= starts and now < tonumber(facts[3]) then
  local index = math.floor((now - starts) / 60)
  if index < tonumber(facts[4]) then
    if redis.call('SETBIT', KEYS[3], index, 1) == 0 then redis.call('SADD', KEYS[6], ARGV[4]) end
    redis.call('EXPIRE', KEYS[3], ARGV[3])
  end
end
return {1, redis.call('BITCOUNT', KEYS[3]), tonumber(facts[4]),
        redis.call('GET', KEYS[4]) or false, redis.call('SMEMBERS', KEYS[5])}
"""

CLOSED, FACTS_UNKNOWN, NOT_ONLINE, NOT_ADMITTED = -2, -1, -3, -4


@dataclass(frozen=True)
class BeatRecorded:
    minutes_online: int
    minutes_planned: int
    checks: list | None  # the snapshot, None when it must be read again
    answered: set[int] | None  # None when it must be read again


def buffering_enabled() -> bool:
    return bool(settings.LIVE_PRESENCE_BUFFER and settings.REDIS_URL)


@cache
def _client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


@cache
def _beat_script():
    return _client().register_script(_BEAT)


def beat_record(*, session_id: int, user_id: int, now: datetime) -> BeatRecorded | int:
    """Count the minute ``now`` falls in for the learner; one Redis round trip. Returns what
    the player is answered with, or one of CLOSED, FACTS_UNKNOWN, NOT_ONLINE, NOT_ADMITTED."""
    keys = [
        _key(session_id, "facts"),
        _key(session_id, "admitted"),
        _key(session_id, f"seen:{user_id}"),
        _key(session_id, "checks"),
        _key(session_id, f"answered:{user_id}"),
        DIRTY_KEY,
    ]
    args = [user_id, repr(now.timestamp()), KEEP_SECONDS, f"{session_id}:{user_id}"]
    outcome = _beat_script()(keys=keys, args=args)
    if outcome[0] != 1:
        return outcome[0]
    _ok, minutes, planned, checks, answered = outcome
    members = {int(member) for member in answered}
    return BeatRecorded(
        minutes_online=minutes,
        minutes_planned=planned,
        checks=json.loads(checks) if checks is not None else None,
        answered=members - {0} if 0 in members else None,
    )


def viewer_cookie_remember(*, session_id: int, session_key: str, user_id: int) -> None:
    """The sign-in cookie a learner's beats come with, so the fast path (live/beacon.py) can
    count them without Django."""
    _client().set(_key(session_id, f"cookie:{session_key}"), user_id, ex=KEEP_SECONDS)


def beat_by_cookie(
    *, session_id: int, session_key: str, session_cache_key: str, now: datetime
) -> BeatRecorded | None:
    """A beat sent with a sign-in cookie the Django path has seen for this session, while that
    Django session still exists: counted, with what to answer. None: "let Django decide"."""
    user_id, signed_in = (
        _client()
        .pipeline()
        .get(_key(session_id, f"cookie:{session_key}"))
        .exists(session_cache_key)
        .execute()
    )
    if user_id is None or not signed_in:
        return None
    outcome = beat_record(session_id=session_id, user_id=int(user_id), now=now)
    if not isinstance(outcome, BeatRecorded) or None in (outcome.checks, outcome.answered):
        return None
    return outcome


def facts_remember(session: LiveSession) -> None:
    key = _key(session.pk, "facts")
    pipe = _client().pipeline()
    pipe.hset(
        key,
        mapping={
            "starts": repr(session.starts_at.timestamp()),
            "ends": repr(session.ends_at.timestamp()),
            "planned": session.planned_minutes,
            "online": int(session.rule.online),
        },
    )
    if session.is_closed:
        pipe.hset(key, "closed", 1)
    else:  # a close under way has marked it already: that mark stands
        pipe.hsetnx(key, "closed", 0)
    pipe.expire(key, FACTS_SECONDS)
    pipe.execute()


def session_closed_mark(session_id: int) -> None:
    """From now on beats are refused: no minute is set after the close has read them."""
    key = _key(session_id, "facts")
    pipe = _client().pipeline()
    pipe.hset(key, "closed", 1)
    pipe.expire(key, FACTS_SECONDS)
    pipe.execute()


def viewer_admit(
    *, session_id: int, user_id: int, minutes_seen: str, answered_ids: list[int]
) -> None:
    """Remember that the learner has a place, with the minutes and answers already stored, so
    the next beats need no database."""
    seen, answered = _key(session_id, f"seen:{user_id}"), _key(session_id, f"answered:{user_id}")
    pipe = _client().pipeline()
    for index, mark in enumerate(minutes_seen):
        if mark == MINUTE_SEEN:
            pipe.setbit(seen, index, 1)
    pipe.delete(answered)
    pipe.sadd(answered, ANSWERED_SENTINEL, *answered_ids)
    pipe.expire(answered, KEEP_SECONDS)
    pipe.sadd(_key(session_id, "admitted"), user_id)
    pipe.expire(_key(session_id, "admitted"), KEEP_SECONDS)
    pipe.execute()


def answered_remember(*, session_id: int, user_id: int, answered_ids: list[int]) -> None:
    key = _key(session_id, f"answered:{user_id}")
    pipe = _client().pipeline()
    pipe.sadd(key, ANSWERED_SENTINEL, *answered_ids)
    pipe.expire(key, KEEP_SECONDS)
    pipe.execute()


def answer_add(*, session_id: int, user_id: int, check_id: int) -> None:
    """Only onto a set the beat trusts already; a forgotten one is read again in full."""
    key = _key(session_id, f"answered:{user_id}")
    if _client().sismember(key, ANSWERED_SENTINEL):
        _client().sadd(key, check_id)


def checks_remember(*, session_id: int, checks: list) -> None:
    _client().set(_key(session_id, "checks"), json.dumps(checks), ex=CHECKS_SECONDS)


def checks_forget(session_id: int) -> None:
    _client().delete(_key(session_id, "checks"))


# --- Into the database -----------------------------------------------------------------------


def _minutes_from_bits(raw: bytes | None, planned: int) -> str:
    raw = raw or b""
    return "".join(
        MINUTE_SEEN
        if index >> 3 < len(raw) and raw[index >> 3] >> (7 - (index & 7)) & 1
        else MINUTE_UNSEEN
        for index in range(planned)
    )


def _minutes_merged(stored: str, bits: str) -> str:
    stored = stored.ljust(len(bits), MINUTE_UNSEEN)[: len(bits)]
    return "".join(
        MINUTE_SEEN if MINUTE_SEEN in (old, new) else MINUTE_UNSEEN
        for old, new in zip(stored, bits, strict=True)
    )


def _viewers_merge(session: LiveSession, user_ids: list[int]) -> int:
    """OR the learners' bitmaps into their attendance rows; returns how many rows changed."""
    if not user_ids:
        return 0
    raw = _client().mget([_key(session.pk, f"seen:{user_id}") for user_id in user_ids])
    bits = dict(zip(user_ids, raw, strict=True))
    rows = list(
        Attendance.objects.select_for_update()
        .filter(registration__session_id=session.pk, registration__user_id__in=user_ids)
        .select_related("registration")
        .order_by("pk")
    )
    changed = []
    for attendance in rows:
        seen = _minutes_from_bits(bits[attendance.registration.user_id], session.planned_minutes)
        merged = _minutes_merged(attendance.minutes_seen, seen)
        if merged.count(MINUTE_SEEN) > attendance.minutes_online:
            attendance.minutes_seen = merged
            changed.append(attendance)
    Attendance.objects.bulk_update(changed, ["minutes_seen"], batch_size=FLUSH_BATCH)
    return len(changed)


def session_minutes_merge(session: LiveSession) -> int:
    """Every admitted learner's minutes into the database, whatever the flusher has done: the
    close's own flush, inside its transaction."""
    user_ids = sorted(int(member) for member in _client().smembers(_key(session.pk, "admitted")))
    return sum(
        _viewers_merge(session, user_ids[start : start + FLUSH_BATCH])
        for start in range(0, len(user_ids), FLUSH_BATCH)
    )


def minutes_flush(*, batch_size: int = FLUSH_BATCH) -> int:
    """Write the minutes counted since the last flush; returns how many rows changed. A batch
    that fails goes back to the dirty set, and a bitmap merged twice changes nothing."""
    client, changed = _client(), 0
    while members := client.spop(DIRTY_KEY, batch_size):
        by_session: dict[int, list[int]] = {}
        for member in members:
            session_id, _, user_id = member.decode().partition(":")
            by_session.setdefault(int(session_id), []).append(int(user_id))
        try:
            with transaction.atomic():
                sessions = LiveSession.objects.in_bulk(list(by_session))
                for session_id, user_ids in sorted(by_session.items()):
                    if session_id in sessions:
                        changed += _viewers_merge(sessions[session_id], sorted(user_ids))
        except BaseException:
            client.sadd(DIRTY_KEY, *members)
            raise
    return changed
