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

from playback.api import LiveSourceRefused, live_encode

from ..models import LiveStream
from .ingest import streams_end_abandoned
from .ingest_server import ingest_publisher_drop, ingest_read_url
from .keys import key_window
from .replay import stream_prefix, stream_replay_close

__all__ = ["EncoderSupervisor", "stream_encode", "stream_prefix", "stream_replay_close"]

logger = logging.getLogger(__name__)


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


class EncoderSupervisor:
    """One tick a second: an encoder for every publish without one, replays for ended streams."""

    def __init__(self, *, port: int | None = None, control_socket: Path | None = None):
        self.port = port
        self.control_socket = control_socket
        self.running: dict[tuple[int, int], threading.Thread] = {}

    def tick(self) -> None:
        self.running = {k: t for k, t in self.running.items() if t.is_alive()}
        publishing = LiveStream.objects.select_related("session").filter(
            state=LiveStream.State.LIVE
        )
        for stream in publishing.exclude(publisher_client="").filter(encoder_problem=""):
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
        for stream in ended.exclude(pk__in=busy).select_related("session"):
            try:
                stream_replay_close(stream)
            except Exception:
                logger.exception("the replay of stream %s could not be made", stream.pk)

    def _encode(self, stream: LiveStream) -> None:
        try:
            stream_encode(stream, port=self.port)
        except LiveSourceRefused as refusal:
            logger.warning("live stream %s refused: %s", stream.pk, refusal)
            LiveStream.objects.filter(pk=stream.pk, publishes=stream.publishes).update(
                encoder_problem=refusal.code
            )
            ingest_publisher_drop(stream.uuid, control_socket=self.control_socket)
        except Exception as error:
            # ffmpeg's last lines say why, where it was ffmpeg that stopped
            detail = getattr(error, "stderr", "")
            logger.exception("live encoder of stream %s stopped\n%s", stream.pk, detail)
        finally:
            close_old_connections()
            connection.close()
