"""Storage for HLS output: names are fixed (a retry overwrites), headers suit HLS players."""

import contextlib
import os
import tempfile

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

    def _save(self, name, content):
        """Written beside its name and moved into place, as an S3 PUT replaces an object whole:
        a player reading a live playlist while the publisher rewrites it gets the old one or
        the new one, never an empty or half-written one."""
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        self._folder_make(directory)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk.encode() if isinstance(chunk, str) else chunk)
            if self.file_permissions_mode is not None:
                os.chmod(temporary, self.file_permissions_mode)
            os.replace(temporary, full_path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        return os.path.relpath(full_path, self.location).replace("\\", "/")

    def _folder_make(self, directory: str) -> None:
        mode = self.directory_permissions_mode
        if mode is None:
            os.makedirs(directory, exist_ok=True)
            return
        umask = os.umask(0o777 & ~mode)  # as Django makes them: the mode whatever the umask
        try:
            os.makedirs(directory, mode, exist_ok=True)
        finally:
            os.umask(umask)
