"""Storage for HLS output: names are fixed (a retry overwrites), headers suit HLS players."""

from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

PLAYLIST_CACHE = "private, max-age=2"
# A webinar's playlists (under live/) change with every segment while it is on air: a second.
LIVE_PREFIX = "live/"
LIVE_PLAYLIST_CACHE = "private, max-age=1"
SEGMENT_CACHE = "private, max-age=31536000, immutable"

CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".ts": "video/mp2t",
    ".vtt": "text/vtt",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
    ".json": "application/json",
}


def content_type_for(name: str) -> str:
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return CONTENT_TYPES.get(suffix, "application/octet-stream")


def cache_control_for(name: str) -> str:
    """Playlists and the files rewritten in place (a webinar's questions) briefly, the rest for
    good: a segment's name is never used for other bytes."""
    if not name.endswith((".m3u8", ".json")):
        return SEGMENT_CACHE
    return LIVE_PLAYLIST_CACHE if name.startswith(LIVE_PREFIX) else PLAYLIST_CACHE


class S3VideoStorage(S3Storage):
    def __init__(self, **settings):
        super().__init__(**{**settings, "file_overwrite": True})

    def get_object_parameters(self, name):
        return {
            **super().get_object_parameters(name),
            "ContentType": content_type_for(name),
            "CacheControl": cache_control_for(name),
        }


class LocalVideoStorage(FileSystemStorage):
    def __init__(self, **settings):
        super().__init__(**{**settings, "allow_overwrite": True})
