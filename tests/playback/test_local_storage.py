"""Local video storage (the embedded stack's, and the one the benchmarks' edge serves) replaces
a file whole, as S3 does: a live playlist rewritten every second is never read half-written."""

import threading

import pytest
from django.core.files.base import ContentFile

from playback.storage import LocalVideoStorage


def test_a_file_rewritten_while_it_is_read_is_always_read_whole(tmp_path):
    storage = LocalVideoStorage(location=tmp_path, base_url="/media/")
    name = "live/stream/hls/360p/index.m3u8"
    versions = [b"#EXTM3U\n" + bytes([65 + n]) * (20_000 + 7_000 * n) for n in range(4)]
    storage.save(name, ContentFile(versions[0]))
    done = threading.Event()

    def publish():
        for n in range(400):
            storage.save(name, ContentFile(versions[n % len(versions)]))
        done.set()

    writer = threading.Thread(target=publish)
    writer.start()
    reads = []
    while not done.is_set():
        reads.append((tmp_path / name).read_bytes())
    writer.join()
    assert len(reads) > 50 and all(read in versions for read in reads)
    assert storage.open(name).read() == versions[399 % len(versions)]
    assert sorted(p.name for p in (tmp_path / name).parent.iterdir()) == ["index.m3u8"]
    assert (tmp_path / name).stat().st_mode & 0o777 == 0o640  # FILE_UPLOAD_PERMISSIONS


def test_a_file_in_a_new_folder_is_saved_and_a_failed_write_leaves_nothing(tmp_path):
    storage = LocalVideoStorage(location=tmp_path, base_url="/media/")
    assert storage.save("a/b/c.json", ContentFile(b"{}")) == "a/b/c.json"

    class Broken(ContentFile):
        def chunks(self, chunk_size=None):
            yield b"half"
            raise OSError("the disk is full")

    with pytest.raises(OSError, match="disk is full"):
        storage.save("a/b/c.json", Broken(b""))
    assert storage.open("a/b/c.json").read() == b"{}"
    assert [p.name for p in (tmp_path / "a/b").iterdir()] == ["c.json"]
