"""Handing HLS to a player without Django in the byte path.

Playlists are tiny and pass through Django, which checks a short-lived token bound to the
viewer and rewrites every URI: nested playlists get a token that lives as long as the lecture,
segments get an expiring URL straight to storage (S3 presigned) or, with local storage, a
Django-signed URL. A token for a paid course names it, and a long-lived one is honoured only
while the learner's enrolment lasts.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.files.storage import storages
from django.urls import reverse

from .access import course_access
from .layout import THUMBNAILS_INDEX, hls_prefix
from .models import Video

PLAYLIST_SALT = "playback.playlist"
SEGMENT_SALT = "playback.segment"
PLAYLIST_PATH = re.compile(
    r"^(master|[a-z0-9]{2,12}/(index|iframes))\.m3u8$|^thumbnails/index\.vtt$"
)
# However long a lecture, a token never outlives this.
TOKEN_TTL_MAX_SECONDS = 12 * 3600
_URI_ATTRIBUTE = re.compile(r'URI="([^"]+)"')


class DeliveryDenied(Exception):
    pass


@dataclass(frozen=True)
class PlaylistGrant:
    video_uuid: str
    generation: int
    user_id: int
    # The paid course the learner watches under an enrolment; None for a free one.
    paid_course_id: int | None = None
    # Where a recorded ladder is stored (a webinar's live folder); None for a transcoded one.
    folder: str | None = None

    @property
    def prefix(self) -> str:
        return self.folder or hls_prefix(self.video_uuid, self.generation)


def master_url(*, video: Video, user, paid_course_id: int | None = None) -> str | None:
    """The URL a player opens, or None while nothing is playable yet. With the paid course
    the learner may watch it in, playlists fetched later check their enrolment again."""
    if video.published_generation is None:
        return None
    token = _playlist_token(
        video.uuid,
        video.published_generation,
        user.pk,
        None,
        paid_course_id,
        folder=video.recorded_folder,
    )
    return reverse("playback:playlist", kwargs={"token": token, "path": "master.m3u8"})


def thumbnails_url(*, video: Video, user, ttl: int, paid_course_id: int | None = None) -> str:
    """The seek-preview index (WebVTT), its sprite URLs signed for ``ttl`` seconds."""
    token = _playlist_token(
        video.uuid,
        video.published_generation,
        user.pk,
        ttl,
        paid_course_id,
        folder=video.recorded_folder,
    )
    return reverse("playback:playlist", kwargs={"token": token, "path": THUMBNAILS_INDEX})


def _playlist_token(
    video_uuid,
    generation: int,
    user_id: int,
    ttl: int | None,
    paid_course_id: int | None,
    *,
    folder: str | None = None,
) -> str:
    data = {"v": str(video_uuid), "g": generation, "u": user_id}
    if ttl:
        data["t"] = ttl
    if paid_course_id:
        data["c"] = paid_course_id
    if folder:
        data["f"] = folder
    return signing.dumps(data, salt=PLAYLIST_SALT, compress=True)


def playlist_grant_load(*, token: str, user) -> PlaylistGrant:
    try:
        # The signature is checked first; only then is the lifetime the token names trusted.
        unverified = signing.loads(token, salt=PLAYLIST_SALT, max_age=None)
        ttl = min(
            int(unverified.get("t") or settings.PLAYBACK_URL_TTL_SECONDS), TOKEN_TTL_MAX_SECONDS
        )
        data = signing.loads(token, salt=PLAYLIST_SALT, max_age=ttl)
    except (signing.BadSignature, AttributeError, TypeError, ValueError) as exc:
        raise DeliveryDenied("invalid or expired token") from exc
    if not user.is_authenticated or data.get("u") != user.pk:
        raise DeliveryDenied("token belongs to someone else")
    paid_course_id = data.get("c")
    # A master token lives minutes; one that lives as long as the lecture asks again, so a
    # withdrawn enrolment stops the next playlist (one indexed query, paid courses only).
    if (
        paid_course_id
        and data.get("t")
        and not course_access(user=user, course_id=paid_course_id, free=False)
    ):
        raise DeliveryDenied("no longer enrolled")
    return PlaylistGrant(
        video_uuid=data["v"],
        generation=data["g"],
        user_id=data["u"],
        paid_course_id=paid_course_id,
        folder=data.get("f"),
    )


def playlist_render(*, grant: PlaylistGrant, token: str, path: str, segment_ttl: int) -> str:
    """The stored playlist with every URI made fetchable for this viewer, for a while."""
    if not PLAYLIST_PATH.match(path):
        raise DeliveryDenied("not a playlist of this video")
    storage = storages["videos"]
    prefix = grant.prefix
    name = f"{prefix}/{path}"
    if not storage.exists(name):
        raise DeliveryDenied("playlist not published")
    with storage.open(name, "rb") as handle:
        text = handle.read().decode()
    folder = path.rpartition("/")[0]
    # Nested playlists are fetched later (a switch of quality mid-lecture): they get a token
    # that lives as long as the segments do.
    nested_token = _playlist_token(
        grant.video_uuid,
        grant.generation,
        grant.user_id,
        segment_ttl,
        grant.paid_course_id,
        folder=grant.folder,
    )

    def resolve(uri: str) -> str:
        relative = f"{folder}/{uri}" if folder else uri
        if uri.endswith(".m3u8"):
            return reverse("playback:playlist", kwargs={"token": nested_token, "path": relative})
        return segment_url(name=f"{prefix}/{relative}", ttl=segment_ttl)

    if path == THUMBNAILS_INDEX:
        return _thumbnails_render(text, resolve)
    lines = []
    for line in text.splitlines():
        if line.startswith("#"):
            line = _URI_ATTRIBUTE.sub(lambda m: f'URI="{resolve(m.group(1))}"', line)
        elif line.strip():
            line = resolve(line.strip())
        lines.append(line)
    return "\n".join(lines) + "\n"


def segment_url(*, name: str, ttl: int) -> str:
    storage = storages["videos"]
    if hasattr(storage, "bucket_name"):
        return storage.url(name, expire=ttl)
    token = signing.dumps({"n": name, "t": ttl}, salt=SEGMENT_SALT, compress=True)
    return reverse("playback:segment", kwargs={"token": token})


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The one byte range (first, last) a Range header asks of ``size`` bytes, as an I-frame
    playlist's byte ranges make players ask; None for the whole file (no header, or a form
    not understood). ValueError when it lies outside the file."""
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", (header or "").strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if not first:  # the last so many bytes
        if int(last) == 0:
            raise ValueError("an empty range")
        return max(0, size - int(last)), size - 1
    span = (int(first), min(int(last), size - 1) if last else size - 1)
    if span[0] > span[1]:
        raise ValueError("a range outside the file")
    return span


def segment_name_load(*, token: str) -> str:
    try:
        unverified = signing.loads(token, salt=SEGMENT_SALT, max_age=None)
        data = signing.loads(token, salt=SEGMENT_SALT, max_age=unverified["t"])
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise DeliveryDenied("invalid or expired segment URL") from exc
    return data["n"]


def segment_ttl_for(video_duration: float | None) -> int:
    """Segments must stay fetchable while the lecture plays through once."""
    return int(settings.PLAYBACK_URL_TTL_SECONDS + (video_duration or 0) * 1.5)


def _thumbnails_render(text: str, resolve) -> str:
    lines = []
    for line in text.splitlines():
        uri, hash_, fragment = line.partition("#xywh=")
        lines.append(f"{resolve(uri)}#xywh={fragment}" if hash_ and uri else line)
    return "\n".join(lines) + "\n"
