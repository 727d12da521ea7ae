"""What every viewer's watch page shares (decision 17): the session, its course and its stream,
read once per session every few seconds and kept in the cache, so that the start of a webinar,
when thousands open the page within seconds, costs each of them only the check of their own
place. A stream that goes on air, ends or gets its replay shows on the page within
``WATCH_FACTS_SECONDS``."""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from catalog import api as catalog_api
from catalog.api import CourseEventFacts

from .models import LiveSession, LiveStream
from .question_snapshot import SNAPSHOT_FILE
from .streaming.delivery import (
    stream_file_url,
    stream_master_exists,
    stream_master_url,
    viewer_cookie_until,
)
from .streaming.replay import replay_episode_url

WATCH_FACTS_SECONDS = 3
FACTS_KEY = "live:watch:{}:facts"


@dataclass(frozen=True)
class StreamFacts:
    uuid: str
    state: str  # LiveStream.State
    replay_ready: bool
    master_exists: bool  # read from storage while on air or with a replay, never per viewer
    master_url: str
    questions_url: str  # the published list of questions (question_snapshot.py)
    replay_url: str
    cookie_until: datetime


@dataclass(frozen=True)
class WatchFacts:
    pk: int  # the session's, as the templates ask a session for it
    course_id: int
    starts_at: datetime
    ends_at: datetime
    counts_online: bool  # the session's presence rule counts minutes on the watch page
    course: CourseEventFacts | None
    stream: StreamFacts | None

    def state(self, now: datetime | None = None) -> str:
        """What the page shows: waiting (with a countdown), starting (on air, no picture
        yet), live, ended, the replay, or unrecorded (ended with nothing recorded)."""
        stream = self.stream
        if stream is not None and stream.replay_ready:
            return "replay" if stream.master_exists else "unrecorded"
        if stream is not None and stream.state == LiveStream.State.ENDED:
            return "ended"
        if stream is not None and stream.state == LiveStream.State.LIVE:
            return "live" if stream.master_exists else "starting"
        return "ended" if (now or timezone.now()) > self.ends_at else "waiting"


def session_watch_facts(session_id: int) -> WatchFacts | None:
    """The session's shared facts, from the cache when fresh; None for no such session."""
    key = FACTS_KEY.format(session_id)
    facts = cache.get(key)
    if facts is None:
        facts = _facts_read(session_id)
        if facts is not None:
            cache.set(key, facts, WATCH_FACTS_SECONDS)
    return facts


def session_watch_facts_forget(session_id: int) -> None:
    """Read the facts again at the next view (after a change the page must show at once)."""
    cache.delete(FACTS_KEY.format(session_id))


def _facts_read(session_id: int) -> WatchFacts | None:
    session = LiveSession.objects.select_related("rule").filter(pk=session_id).first()
    if session is None:
        return None
    stream = LiveStream.objects.filter(session=session).first()
    return WatchFacts(
        pk=session.pk,
        course_id=session.course_id,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        counts_online=session.rule.online,
        course=catalog_api.course_event_facts([session.course_id]).get(session.course_id),
        stream=_stream_facts(stream, session) if stream is not None else None,
    )


def _stream_facts(stream: LiveStream, session: LiveSession) -> StreamFacts:
    stream.session = session  # read above; the cookie's end and the replay's course ask for it
    on_air_or_recorded = stream.state == LiveStream.State.LIVE or bool(stream.replay_ready_at)
    replay_ready = bool(stream.replay_ready_at)
    return StreamFacts(
        uuid=str(stream.uuid),
        state=stream.state,
        replay_ready=replay_ready,
        master_exists=on_air_or_recorded and stream_master_exists(stream),
        master_url=stream_master_url(stream),
        questions_url=stream_file_url(stream, SNAPSHOT_FILE),
        replay_url=replay_episode_url(stream) if replay_ready else "",
        cookie_until=viewer_cookie_until(stream),
    )
