"""The live encoders (decision 17): a supervisor, not a Celery task, starts one encoder per
accepted publish within a second of it, and closes the playlists of streams that have ended so
their replay plays. A worker busy with an on-demand transcode would delay a live start, and a
broker's redelivery of an hour-long job would start a second encoder."""

import logging
import threading
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.db import close_old_connections, connection
from django.utils import timezone

from playback.api import live_encode, live_playlists_close

from ..models import LiveStream
from .ingest import streams_end_abandoned
from .ingest_server import ingest_read_url
from .keys import key_window

logger = logging.getLogger(__name__)


def stream_prefix(stream: LiveStream) -> str:
    """Where a stream's ladder is stored: live/<uuid>/hls/ (master.m3u8, <rung>/index.m3u8)."""
    return f"live/{stream.uuid}/hls"


def stream_encode(stream: LiveStream, *, port: int | None = None) -> None:
    """Encode the stream's current publish until the presenter stops."""
    _opens, closes = key_window(stream.session)
    live_encode(
        url=ingest_read_url(stream.uuid, port=port),
        scratch=Path(settings.VAR_DIR) / "live" / "scratch" / str(stream.uuid),
        storage=storages["videos"],
        prefix=stream_prefix(stream),
        publish=stream.publishes,
        max_seconds=max(60.0, (closes - timezone.now()).total_seconds()),
    )


def stream_replay_close(stream: LiveStream) -> None:
    """Close the playlists (ENDLIST): the live segments become the replay."""
    live_playlists_close(storage=storages["videos"], prefix=stream_prefix(stream))
    LiveStream.objects.filter(pk=stream.pk).update(
        state=LiveStream.State.ENDED,
        ended_at=stream.ended_at or timezone.now(),
        replay_ready_at=timezone.now(),
    )


class EncoderSupervisor:
    """One tick a second: an encoder for every publish without one, replays for ended streams."""

    def __init__(self, *, port: int | None = None):
        self.port = port
        self.running: dict[tuple[int, int], threading.Thread] = {}

    def tick(self) -> None:
        self.running = {k: t for k, t in self.running.items() if t.is_alive()}
        publishing = LiveStream.objects.select_related("session").filter(
            state=LiveStream.State.LIVE
        )
        for stream in publishing.exclude(publisher_client=""):
            key = (stream.pk, stream.publishes)
            if key not in self.running:
                thread = threading.Thread(target=self._encode, args=(stream,), daemon=True)
                self.running[key] = thread
                thread.start()
        streams_end_abandoned()
        ended = LiveStream.objects.filter(
            state=LiveStream.State.ENDED,
            replay_ready_at__isnull=True,
            ended_at__lt=timezone.now() - timedelta(seconds=1),
        )
        busy = {stream_id for stream_id, _publish in self.running}
        for stream in ended.exclude(pk__in=busy):
            stream_replay_close(stream)

    def _encode(self, stream: LiveStream) -> None:
        try:
            stream_encode(stream, port=self.port)
        except Exception:
            logger.exception("live encoder of stream %s stopped", stream.pk)
        finally:
            close_old_connections()
            connection.close()
