"""The ingest server's questions: may this key publish now (on_publish), and the presenter has
gone (on_publish_done). One publisher per stream; a presenter who drops out keeps the stream
live for LIVE_RECONNECT_GRACE_SECONDS and continues it by publishing again."""

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import LiveStream
from .ingest_server import ingest_publisher_drop
from .keys import key_hash, key_window


class Refusal(enum.StrEnum):
    UNKNOWN_KEY = "unknown key"
    OUTSIDE_WINDOW = "key not valid now"
    ENDED = "stream has ended"
    BUSY = "another publisher is live on this key"


@dataclass(frozen=True)
class PublishAnswer:
    stream: LiveStream | None
    refusal: Refusal | None = None
    resumed: bool = False

    @property
    def accepted(self) -> bool:
        return self.refusal is None


@transaction.atomic
def publish_check(
    *, key: str, client: str, address: str | None = None, now: datetime | None = None
) -> PublishAnswer:
    """Accept the publisher of ``key`` (nginx's ``client`` id) or say why not."""
    now = now or timezone.now()
    stream = (
        LiveStream.objects.select_for_update()
        .select_related("session")
        .filter(key_hash=key_hash(key))
        .first()
    )
    if stream is None:
        return PublishAnswer(None, Refusal.UNKNOWN_KEY)
    if stream.state == LiveStream.State.ENDED or stream.session.is_closed:
        return PublishAnswer(stream, Refusal.ENDED)
    opens, closes = key_window(stream.session)
    if not opens <= now <= closes:
        return PublishAnswer(stream, Refusal.OUTSIDE_WINDOW)
    if stream.publisher_client and stream.publisher_client != client:
        return PublishAnswer(stream, Refusal.BUSY)
    resumed = stream.state == LiveStream.State.LIVE
    if resumed and _grace_over(stream, now):
        _end(stream, now)
        return PublishAnswer(stream, Refusal.ENDED)
    stream.state = LiveStream.State.LIVE
    stream.publisher_client = client
    stream.publisher_address = address
    stream.publisher_left_at = None
    stream.encoder_problem = ""
    stream.publishes += 1
    stream.started_at = stream.started_at or now
    stream.save()
    return PublishAnswer(stream, resumed=resumed)


@transaction.atomic
def publish_done(*, name: str, client: str, now: datetime | None = None) -> LiveStream | None:
    """The publisher ``client`` has gone; the stream stays live for the grace period. nginx
    names the stream by the key it was published with, or by the id it was renamed to."""
    streams = LiveStream.objects.select_for_update()
    stream = streams.filter(key_hash=key_hash(name)).first()
    if stream is None and _is_uuid(name):
        stream = streams.filter(uuid=name).first()
    if stream is None or stream.publisher_client != client:
        return None  # a refused publisher leaving, or one that was already replaced
    stream.publisher_client = ""
    stream.publisher_left_at = now or timezone.now()
    stream.save(update_fields=["publisher_client", "publisher_left_at"])
    return stream


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _grace_over(stream: LiveStream, now: datetime) -> bool:
    grace = timedelta(seconds=settings.LIVE_RECONNECT_GRACE_SECONDS)
    return stream.publisher_left_at is not None and now - stream.publisher_left_at > grace


def _end(stream: LiveStream, now: datetime) -> None:
    stream.state = LiveStream.State.ENDED
    stream.publisher_client = ""
    stream.ended_at = now
    stream.save(update_fields=["state", "publisher_client", "ended_at"])


def stream_end(
    *, stream_id: int, now: datetime | None = None, control_socket: Path | None = None
) -> LiveStream:
    """An editor ends the webinar. A presenter still publishing is disconnected first (and
    refused if they publish again); the encoders' supervisor then closes the playlists, which
    is the replay."""
    stream = LiveStream.objects.get(pk=stream_id)
    if stream.publisher_client and not ingest_publisher_drop(
        stream.uuid, control_socket=control_socket
    ):
        raise ValidationError(
            _(
                "The ingest server could not be reached to stop the presenter: stop the stream "
                "in OBS first."
            ),
            code="publishing",
        )
    with transaction.atomic():
        stream = LiveStream.objects.select_for_update().get(pk=stream_id)
        if stream.state != LiveStream.State.ENDED:
            _end(stream, now or timezone.now())
    return stream


def streams_end_abandoned(*, now: datetime | None = None) -> int:
    """Streams whose presenter left longer than the grace period ago end: nothing stays live."""
    now = now or timezone.now()
    left_before = now - timedelta(seconds=settings.LIVE_RECONNECT_GRACE_SECONDS)
    return LiveStream.objects.filter(
        state=LiveStream.State.LIVE, publisher_client="", publisher_left_at__lt=left_before
    ).update(state=LiveStream.State.ENDED, ended_at=now)
