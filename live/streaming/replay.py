"""The replay (decision 17): when a stream ends its live playlists are closed over the segments
already stored, and the recording becomes an on-demand episode of the session's course at once,
without a new transcode. Editors trim its start and end afterwards (a playlist rewrite)."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from catalog import api as catalog_api
from playback import api as playback_api

from ..models import LiveStream

logger = logging.getLogger(__name__)


def stream_prefix(stream: LiveStream) -> str:
    """Where a stream's ladder is stored: live/<uuid>/hls/ (master.m3u8, <rung>/index.m3u8)."""
    return f"live/{stream.uuid}/hls"


def replay_title(stream: LiveStream) -> str:
    """“Opname: <course>, <date and time>”, in the site's language (no viewer is asking)."""
    session = stream.session
    with translation.override(settings.LANGUAGE_CODE):
        when = date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
        return _("Recording: %(course)s, %(when)s") % {"course": session.course.title, "when": when}


def stream_replay_close(stream: LiveStream) -> None:
    """Close the playlists (ENDLIST) and publish the recording as an episode of the course:
    from ``replay_ready_at`` on, the episode plays. A stream with nothing recorded gets no
    episode. Safe to repeat: the video and the episode are found again, not made twice."""
    playback_api.live_playlists_close(
        storage=storages["videos"],
        prefix=stream_prefix(stream),
        start=stream.trim_start_seconds,
        end=stream.trim_end_seconds,
    )
    with transaction.atomic():
        recording = playback_api.video_recording_register(
            title=replay_title(stream), folder=stream_prefix(stream)
        )
        episode = None
        if recording is not None:
            episode = catalog_api.episode_recording_add(
                course_id=stream.session.course_id,
                title=replay_title(stream),
                video_id=recording.video_id,
                slug=f"opname-{timezone.localtime(stream.session.starts_at):%Y-%m-%d-%H%M}",
            )
        LiveStream.objects.filter(pk=stream.pk).update(
            state=LiveStream.State.ENDED,
            ended_at=stream.ended_at or timezone.now(),
            replay_ready_at=timezone.now(),
            replay_video_id=recording.video_id if recording else None,
            replay_episode_id=episode.id if episode else None,
        )
    if recording is not None:
        playback_api.video_recording_poster(video_id=recording.video_id)


@dataclass(frozen=True)
class Replay:
    episode_id: int
    url: str
    video_id: int
    seconds: float  # as trimmed now
    length: float  # the whole recording
    trim_start: float
    trim_end: float


def replay_episode_url(stream: LiveStream | None) -> str:
    """Where the replay plays as an episode of the course; empty before, when nothing was
    recorded, or once an editor unpublished it. Two queries, no storage: the watch page asks."""
    if stream is None or not stream.replay_episode_id:
        return ""
    key = (stream.session.course_id, stream.replay_episode_id)
    watchable = catalog_api.watchables_get([key]).get(key)
    return watchable.url if watchable else ""


def stream_replay(stream: LiveStream | None) -> Replay | None:
    """The stream's replay with the recording's length (read from storage) for its editors;
    None before it plays or when nothing was recorded."""
    if stream is None or not stream.replay_episode_id or not stream.replay_video_id:
        return None
    length = playback_api.recording_length(video_id=stream.replay_video_id)
    start = stream.trim_start_seconds or 0.0
    end = stream.trim_end_seconds if stream.trim_end_seconds is not None else length
    return Replay(
        episode_id=stream.replay_episode_id,
        url=replay_episode_url(stream),
        video_id=stream.replay_video_id,
        seconds=min(end, length) - start,
        length=length,
        trim_start=start,
        trim_end=end,
    )


@transaction.atomic
def stream_replay_trim(*, stream_id: int, start: float, end: float) -> float:
    """Play the replay from ``start`` to ``end`` seconds of the recording; the whole recording
    stays stored, so trimming again may widen it. Returns the replay's new length."""
    stream = LiveStream.objects.select_for_update().get(pk=stream_id)
    if not stream.replay_video_id:
        raise playback_api.RecordingRangeError("no recording")
    seconds = playback_api.video_recording_trim(
        video_id=stream.replay_video_id, start=start, end=end
    )
    stream.trim_start_seconds, stream.trim_end_seconds = start, end
    stream.save(update_fields=["trim_start_seconds", "trim_end_seconds"])
    return seconds
