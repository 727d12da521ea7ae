"""Stream keys: a random token shown to the editor once, stored as its SHA-256, valid from
shortly before the session starts until shortly after its planned end."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import LiveSession, LiveStream

KEY_BYTES = 24  # 32 characters of URL-safe base64


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_window(session: LiveSession) -> tuple[datetime, datetime]:
    """When a session's key opens and closes."""
    return (
        session.starts_at - timedelta(minutes=settings.LIVE_KEY_EARLY_MINUTES),
        session.ends_at + timedelta(minutes=settings.LIVE_KEY_LATE_MINUTES),
    )


def ingest_url() -> str:
    """What the presenter types into OBS as the server; the key goes in the key field."""
    return f"rtmp://{settings.LIVE_INGEST_PUBLIC_HOST}:{settings.LIVE_RTMP_PORT}/live"


@dataclass(frozen=True)
class IssuedKey:
    stream: LiveStream
    key: str  # in clear: shown once, never stored


@transaction.atomic
def stream_key_issue(*, session: LiveSession, now: datetime | None = None) -> IssuedKey:
    """A new key for the session; the one before stops working at once. A presenter
    publishing with the old key keeps going until they stop."""
    key = secrets.token_urlsafe(KEY_BYTES)
    stream, _created = LiveStream.objects.select_for_update().get_or_create(
        session=session,
        defaults={"key_hash": key_hash(key), "key_created_at": now or timezone.now()},
    )
    if not _created:
        stream.key_hash = key_hash(key)
        stream.key_created_at = now or timezone.now()
        stream.save(update_fields=["key_hash", "key_created_at"])
    return IssuedKey(stream=stream, key=key)


def stream_of_session(session_id: int) -> LiveStream | None:
    return LiveStream.objects.filter(session_id=session_id).first()
