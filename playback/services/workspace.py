"""Where a worker does its work: a scratch folder of its own, and the storage it publishes to."""

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import storages

from ..layout import video_folder
from ..models import Video

COPY_BLOCK_BYTES = 8 * 1024 * 1024


def video_storage():
    return storages["videos"]


@contextmanager
def scratch_folder(video: Video) -> Iterator[Path]:
    """A fresh local folder, removed afterwards whether the work succeeded or not."""
    root = Path(settings.PLAYBACK_SCRATCH_DIR or Path(tempfile.gettempdir()) / "leerstroom")
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{video.uuid}-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def storage_download(
    *, storage, name: str, target: Path, while_copying: Callable[[], None] = lambda: None
) -> Path | None:
    """A local copy of a stored file (ffmpeg only ever reads local files); None if it is gone.

    From local storage on the same file system the copy is a hard link, made at once whatever
    the file's size: ffmpeg only reads it, and removing the scratch folder leaves the original.
    """
    if not name or not storage.exists(name):
        return None
    if _hard_linked(storage, name, target):
        return target
    with storage.open(name, "rb") as remote, open(target, "wb") as local:
        while block := remote.read(COPY_BLOCK_BYTES):
            local.write(block)
            while_copying()
    return target


def storage_upload(*, storage, path: Path, name: str) -> None:
    """Put a local file in storage under exactly this name, replacing what was there; into local
    storage on the same file system as a hard link, at once whatever its size."""
    storage.delete(name)
    try:
        stored = Path(storage.path(name))
        stored.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, stored)
        return
    except (NotImplementedError, OSError):  # remote storage, or another file system
        pass
    with open(path, "rb") as handle:
        storage.save(name, File(handle))


def _hard_linked(storage, name: str, target: Path) -> bool:
    try:
        os.link(storage.path(name), target)
    except (NotImplementedError, OSError):  # remote storage, or another file system
        return False
    return True


def storage_delete_tree(storage, prefix: str) -> None:
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        storage.delete(f"{prefix}/{name}")
    for folder in folders:
        storage_delete_tree(storage, f"{prefix}/{folder}")


def video_files_delete(*, video_uuid) -> None:
    """Every file of a video: its source, captions, parts and every generation of its stream."""
    storage_delete_tree(video_storage(), video_folder(video_uuid))
