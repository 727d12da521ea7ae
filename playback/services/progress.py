"""Heartbeats: what the player reports every ~10 s and on pause, seek and page hide.

Nothing is trusted blindly. Ranges and positions are clamped to the video. A beat whose
sequence number is not higher than the last one changes nothing, so replays and late,
out-of-order beats are harmless. A session can credit at most twice its wall-clock time
(playback at 2×), so a forged jump from 0 to 100 % in 5 s credits at most 10 s. A learner has
one live session per episode: starting one supersedes the others, whose later beats credit
nothing, so six tabs at once credit no more than one (decision 11)."""

import math
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..access import episode_playable_for
from ..models import PlaybackSession, Video, ViewingProgress
from ..watching import ranges_clamp, ranges_credit, ranges_total
from .completion import course_completion_check

MAX_SPEED = 2.0
MAX_RANGES = 50


class HeartbeatRefused(Exception):
    """A heartbeat or session request that is malformed; ``reason`` says why."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


class NotPlayable(Exception):
    """The episode does not exist for this learner or has no ready video."""


class SessionSuperseded(Exception):
    """The learner started another session on this episode after this one."""


@dataclass(frozen=True)
class PlaybackStart:
    session: PlaybackSession
    # The learner's sessions on this episode that the new one supersedes.
    superseded_ids: list[str]


@transaction.atomic
def playback_session_start(*, user, episode_id: int, now: datetime | None = None) -> PlaybackStart:
    """A new session for this learner and episode, superseding their live ones."""
    playable = episode_playable_for(user=user, episode_id=episode_id)
    if playable is None or playable.video_id is None:
        raise NotPlayable
    video = Video.objects.filter(pk=playable.video_id).first()
    if video is None or not video.is_playable or not video.duration:
        raise NotPlayable
    # One learner's starts one at a time, so starts at the same moment leave one live session.
    # Not the progress row: beats lock their session before it, and this would reverse that.
    # No-key, so a beat inserting the learner's first progress row (a key share) never waits.
    get_user_model().objects.select_for_update(no_key=True).filter(pk=user.pk).first()
    live = list(
        PlaybackSession.objects.select_for_update()
        .filter(user=user, episode_id=playable.episode_id, superseded_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "started_at")
    )
    now = now or timezone.now()
    # Lifetimes never overlap, even when a clock or a caller gives an earlier time.
    now = max([now, *(started_at for _pk, started_at in live)])
    PlaybackSession.objects.filter(pk__in=[pk for pk, _started in live]).update(superseded_at=now)
    session = PlaybackSession.objects.create(
        user=user,
        episode_id=playable.episode_id,
        course_id=playable.course_id,
        duration=video.duration,
        completion_share=playable.completion_share,
        started_at=now,
    )
    return PlaybackStart(session, [str(pk) for pk, _started in live])


def session_superseded(session: PlaybackSession, *, at: datetime) -> bool:
    """Whether a beat arriving at ``at`` comes after another session took over."""
    return session.superseded_at is not None and at >= session.superseded_at


@dataclass(frozen=True)
class Heartbeat:
    session_id: str
    seq: int
    position: float
    ranges: list[tuple[float, float]]


def heartbeat_parse(data) -> Heartbeat:
    """A heartbeat from its JSON body, or HeartbeatRefused with the reason in Dutch."""
    if not isinstance(data, dict):
        raise HeartbeatRefused(_("A heartbeat is a JSON object."))
    session_id = data.get("session")
    if not isinstance(session_id, str) or len(session_id) > 64:
        raise HeartbeatRefused(_("The playback session is missing."))
    seq = data.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 < seq < 2**31:
        raise HeartbeatRefused(_("The sequence number must be a whole number above 0."))
    position = data.get("position")
    if not _number(position):
        raise HeartbeatRefused(_("The position must be a number of seconds."))
    ranges = data.get("ranges", [])
    if not isinstance(ranges, list) or len(ranges) > MAX_RANGES:
        raise HeartbeatRefused(_("The played ranges must be a list of at most 50 pairs."))
    pairs = []
    for pair in ranges:
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(_number(value) for value in pair)
            or pair[1] < pair[0]
        ):
            raise HeartbeatRefused(_("Each played range is a pair [start, end] with end ≥ start."))
        pairs.append((float(pair[0]), float(pair[1])))
    return Heartbeat(session_id, seq, float(position), pairs)


def _number(value) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and abs(value) < 1e7
    )


@dataclass(frozen=True)
class HeartbeatResult:
    credited_seconds: float
    watched_seconds: float
    completed_now: bool


@transaction.atomic
def heartbeat_record(*, user, beat: Heartbeat, now: datetime | None = None) -> HeartbeatResult:
    """Apply one heartbeat straight to the database; raises PlaybackSession.DoesNotExist for a
    session that is not this learner's, SessionSuperseded for one another session took over."""
    now = now or timezone.now()
    session = PlaybackSession.objects.select_for_update().get(pk=beat.session_id, user=user)
    if session_superseded(session, at=now):
        raise SessionSuperseded
    progress = progress_rows_lock([session], since=now)[(session.user_id, session.episode_id)]
    result = beat_apply(session=session, progress=progress, beat=beat, now=now)
    if result is not None:
        progress.save()
        session.save(update_fields=["last_seq", "credited_seconds", "last_beat_at"])
        if result.completed_now:
            completions_announce([progress])
        return result
    return HeartbeatResult(0.0, progress.watched_seconds, False)


def progress_rows_lock(sessions, *, since: datetime) -> dict[tuple[int, int], ViewingProgress]:
    """The locked progress rows of these sessions' learner × episode pairs, made if missing
    (as last watched ``since``, the time of the earliest beat about to be applied)."""
    pairs = {(session.user_id, session.episode_id): session for session in sessions}
    found = _progress_rows_locked(pairs)
    missing = [pair for pair in pairs if pair not in found]
    if missing:
        ViewingProgress.objects.bulk_create(
            [
                ViewingProgress(
                    user_id=user_id,
                    episode_id=episode_id,
                    course_id=pairs[user_id, episode_id].course_id,
                    duration=pairs[user_id, episode_id].duration,
                    last_watched_at=since,
                )
                for user_id, episode_id in missing
            ],
            ignore_conflicts=True,
        )
        found |= _progress_rows_locked(dict.fromkeys(missing))
    return found


def _progress_rows_locked(pairs) -> dict[tuple[int, int], ViewingProgress]:
    # Learners and episodes as two IN lists: a webinar's batch is one episode and many learners,
    # so this is exact there and at worst locks a few extra rows of the same learners.
    rows = (
        ViewingProgress.objects.select_for_update()
        .filter(
            user_id__in={user_id for user_id, _e in pairs},
            episode_id__in={episode_id for _u, episode_id in pairs},
        )
        .order_by("pk")
    )
    return {
        (row.user_id, row.episode_id): row for row in rows if (row.user_id, row.episode_id) in pairs
    }


def beat_apply(
    *, session: PlaybackSession, progress: ViewingProgress, beat: Heartbeat, now: datetime
) -> HeartbeatResult | None:
    """Fold one beat into the (locked) session and progress in memory; None when it changes
    nothing because it was already counted or came after another session took over."""
    if beat.seq <= session.last_seq:  # a replay or a late beat: already counted
        return None
    if session_superseded(session, at=now):
        return None
    elapsed = max(0.0, (now - session.started_at).total_seconds())
    allowance = max(0.0, MAX_SPEED * elapsed - session.credited_seconds)
    played = ranges_clamp(beat.ranges, session.duration)
    union, credited = ranges_credit(progress.watched_ranges, played, allowance=allowance)
    progress.watched_ranges = [list(pair) for pair in union]
    progress.watched_seconds = ranges_total(union)
    if now >= progress.last_watched_at:  # a beat flushed late never moves the position back
        progress.position = min(max(beat.position, 0.0), session.duration)
        progress.last_watched_at = now
    progress.duration = session.duration
    progress.dismissed = False
    completed_now = (
        progress.completed_at is None
        and progress.watched_seconds >= session.completion_share * session.duration
    )
    if completed_now:
        progress.completed_at = now
    session.last_seq = beat.seq
    session.credited_seconds += credited
    session.last_beat_at = now
    return HeartbeatResult(credited, progress.watched_seconds, completed_now)


def completions_announce(progress_rows) -> None:
    """Once the transaction commits, check whether the episodes just completed complete their
    courses (which then reports each completion to accreditation, once)."""
    completed = [(row.user_id, row.course_id) for row in progress_rows]

    def courses_check() -> None:
        for user_id, course_id in completed:
            course_completion_check(user_id=user_id, course_id=course_id)

    transaction.on_commit(courses_check)
