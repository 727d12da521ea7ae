"""Hostile and broken uploads end `rejected` with a clear message and are never transcoded."""

import http.server
import os
import stat
import threading
import time

import pytest

from playback.models import Video
from playback.services.pipeline import video_process

from .conftest import video_with_source

pytestmark = pytest.mark.django_db


def _process(data: bytes, name: str = "lecture.mp4") -> Video:
    return video_process(video=video_with_source(data=data, name=name))


def _assert_rejected(video: Video, message: str) -> None:
    assert video.state == Video.State.REJECTED
    assert video.reason == message
    assert not video.renditions.exists()
    assert video.published_generation is None


@pytest.fixture
def canary_fifo(tmp_path):
    """A named pipe outside the scratch folder: opening it for writing succeeds only while
    something has it open for reading, so any read of it by ffmpeg is seen."""
    path = tmp_path / "canary"
    os.mkfifo(path)
    opened = threading.Event()
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                time.sleep(0.005)
                continue
            opened.set()
            os.close(descriptor)
            return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    yield path, opened
    stop.set()
    watcher.join(timeout=2)
    assert stat.S_ISFIFO(path.stat().st_mode)


def test_an_hls_playlist_named_mp4_pointing_at_a_local_file_is_not_followed(canary_fifo):
    canary, opened = canary_fifo
    playlist = f"#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\nfile://{canary}\n#EXT-X-ENDLIST\n"
    video = _process(playlist.encode())
    _assert_rejected(video, "Dit bestand is geen video.")
    time.sleep(0.2)
    assert not opened.is_set()


def test_an_hls_playlist_pointing_at_a_local_server_makes_no_request():
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        playlist = (
            "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n"
            f"http://127.0.0.1:{port}/segment.ts\n#EXT-X-ENDLIST\n"
        )
        video = _process(playlist.encode())
    finally:
        server.shutdown()
    _assert_rejected(video, "Dit bestand is geen video.")
    assert requests == []


def test_an_ffconcat_file_is_not_followed(canary_fifo):
    canary, opened = canary_fifo
    video = _process(f"ffconcat version 1.0\nfile '{canary}'\n".encode())
    _assert_rejected(video, "Dit bestand is geen video.")
    time.sleep(0.2)
    assert not opened.is_set()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Dit is een tekstbestand met de naam video.\n" * 20, "Dit bestand is geen video."),
        (os.urandom(64 * 1024), "Dit bestand is geen video."),
        (b"", "Het bestand is leeg."),
    ],
    ids=["text", "random-bytes", "empty"],
)
def test_files_that_are_no_video(data, message):
    _assert_rejected(_process(data), message)


@pytest.mark.parametrize(
    ("clip", "message"),
    [
        ("truncated", "Dit bestand is beschadigd of onvolledig."),
        ("huge_frame", "Resolutie 8192×8192 is groter dan toegestaan (3840×2160)."),
        ("ten_hours", "De video duurt 10:00:00; maximaal 6:00:00 is toegestaan."),
        ("audio_only", "Dit bestand bevat geen videobeeld; is het een audiobestand?"),
        ("single_frame", "Deze video heeft geen lengte."),
    ],
)
def test_videos_outside_the_limits(clips, clip, message):
    video = _process(clips[clip].read_bytes(), name=clips[clip].name)
    _assert_rejected(video, message)
    assert video.probe is None or isinstance(video.probe, dict)


def test_the_worker_keeps_going_after_a_bad_file(clips):
    _assert_rejected(_process(b"not a video"), "Dit bestand is geen video.")
    good = _process(clips["small"].read_bytes())
    assert good.state == Video.State.READY


def test_a_missing_source_fails_with_a_reason():
    video = video_with_source(data=b"x")
    video.source.delete(save=False)
    video = video_process(video=video)
    assert video.state == Video.State.FAILED
    assert video.reason == "Het geüploade bestand is niet meer te vinden."
