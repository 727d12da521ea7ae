"""A deleted video takes its files with it, once the deletion commits."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction

from playback.layout import THUMBNAILS_INDEX, caption_key, hls_prefix, parts_prefix, source_key
from playback.models import Video

pytestmark = pytest.mark.django_db


def _files(video) -> list[str]:
    storage = storages["videos"]
    names = [
        source_key(video.uuid, "college.mp4"),
        caption_key(video.uuid, "nl"),
        f"{parts_prefix(video.uuid, 1)}/part-000.mp4",
        f"{hls_prefix(video.uuid, 1)}/master.m3u8",
        f"{hls_prefix(video.uuid, 1)}/720p/seg0.m4s",
        f"{hls_prefix(video.uuid, 2)}/{THUMBNAILS_INDEX}",
    ]
    for name in names:
        storage.save(name, ContentFile(b"x"))
    return names


def test_deleting_a_video_removes_every_file_it_had_after_the_commit(
    django_capture_on_commit_callbacks,
):
    video = Video.objects.create(title="College")
    other = Video.objects.create(title="Ander college")
    names, others = _files(video), _files(other)
    storage = storages["videos"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        video.delete()
    assert all(storage.exists(name) for name in names)  # not before the commit
    for callback in callbacks:
        callback()
    assert not any(storage.exists(name) for name in names)
    assert all(storage.exists(name) for name in others)


def test_a_delete_that_is_rolled_back_keeps_the_files(django_capture_on_commit_callbacks):
    video = Video.objects.create(title="College")
    pk, names = video.pk, _files(video)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        video.delete()
        transaction.set_rollback(True)
    assert Video.objects.filter(pk=pk).exists()
    assert all(storages["videos"].exists(name) for name in names)
