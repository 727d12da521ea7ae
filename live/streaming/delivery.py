"""Handing a live stream to viewers (decision 17): access is checked once, at join, and granted
as a signed cookie scoped to the stream's folder, renewed when the viewer opens the page again.
Playlists and segments are then served by their path under that cookie, without a query: in
production (``LIVE_CDN_URL``) the CDN checks its own signed cookies (``cdn.py``) and Django sees
none of them."""

import re
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.core.files.storage import storages
from django.utils import timezone

from playback.api import DELTA_PLAYLIST_NAME, PLAYLIST_NAME

from ..models import LiveStream
from .cdn import cdn_cookie_values, cdn_enabled, cdn_stream_base
from .encoders import stream_prefix
from .keys import key_window

COOKIE_SALT = "live.viewer"
STREAM_PATH = re.compile(
    r"^(master\.m3u8|questions\.json|[a-z0-9]{2,12}/index\.m3u8|[a-z0-9]{2,12}/p\d{1,4}/(init(_\d{1,2})?\.mp4|seg_\d{5,8}\.m4s))$"
)
REPLAY_DAYS = 30  # a cookie given after the end lets the viewer watch the replay this long


@dataclass(frozen=True)
class ViewerCookie:
    name: str
    value: str
    path: str
    max_age: int


def viewer_cookie_until(stream: LiveStream):
    """Until the stream ends, plus the replay's time after."""
    _opens, closes = key_window(stream.session)
    return max(closes, timezone.now()) + timedelta(days=REPLAY_DAYS)


def viewer_cookie(*, stream_uuid, until, user) -> ViewerCookie:
    """The cookie that lets this viewer's player fetch the stream from Django until ``until``
    (the stream's end plus the replay's time after)."""
    value = signing.dumps({"s": str(stream_uuid), "u": user.pk}, salt=COOKIE_SALT)
    return ViewerCookie(
        name=f"live_{UUID(str(stream_uuid)).hex[:12]}",
        value=value,
        path=f"/live/{stream_uuid}/",
        max_age=int((until - timezone.now()).total_seconds()),
    )


def viewer_cookie_set(response, *, stream_uuid, until, user, secure: bool) -> None:
    """Hand the viewer's player the stream's cookie with ``response``: the CDN's signed cookies
    where a CDN serves the stream, else Django's own. ``until``: ``viewer_cookie_until``."""
    if cdn_enabled():
        max_age = int((until - timezone.now()).total_seconds())
        for name, value in cdn_cookie_values(stream_uuid=stream_uuid, until=until).items():
            response.set_cookie(
                name,
                value,
                max_age=max_age,
                path=f"/live/{stream_uuid}/hls/",
                domain=settings.LIVE_CDN_COOKIE_DOMAIN or None,
                secure=True,
                httponly=True,
                samesite="Lax",
            )
        return
    cookie = viewer_cookie(stream_uuid=stream_uuid, until=until, user=user)
    response.set_cookie(
        cookie.name,
        cookie.value,
        max_age=cookie.max_age,
        path=cookie.path,
        secure=secure,
        httponly=True,
        samesite="Lax",
    )


def viewer_cookie_admits(*, stream_uuid, value: str | None, max_age: int) -> bool:
    if not value:
        return False
    try:
        data = signing.loads(value, salt=COOKIE_SALT, max_age=max_age)
    except signing.BadSignature:
        return False
    return data.get("s") == str(stream_uuid)


def stream_file_name(*, stream_uuid, path: str, skip: str = "") -> str | None:
    """The stored name of a playlist or segment, or None for any other path. ``skip`` is the
    player's ``_HLS_skip``: a rung's playlist asked for with YES or v2 is its delta update
    (the CDN maps the same request to the same file: the live runbook)."""
    if not STREAM_PATH.match(path):
        return None
    if skip in ("YES", "v2") and path.endswith(f"/{PLAYLIST_NAME}"):
        path = path.removesuffix(PLAYLIST_NAME) + DELTA_PLAYLIST_NAME
    return f"live/{stream_uuid}/hls/{path}"


def stream_file_url(stream: LiveStream, name: str) -> str:
    """Where a viewer's player fetches one of the stream's files: the CDN, or Django."""
    if cdn_enabled():
        return f"{cdn_stream_base(stream.uuid)}{name}"
    return f"/live/{stream.uuid}/hls/{name}"


def stream_master_url(stream: LiveStream) -> str:
    return stream_file_url(stream, "master.m3u8")


def stream_master_exists(stream: LiveStream) -> bool:
    return storages["videos"].exists(f"{stream_prefix(stream)}/master.m3u8")
