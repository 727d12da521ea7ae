"""The real ingest (decision 17): nginx with libnginx-mod-rtmp on a free port, Django answering
its on_publish callbacks, ffmpeg publishing a test pattern with sound. A valid key goes live
and its ladder appears in storage with dated segments; a wrong key and a second publisher
are refused by nginx; closing the playlists makes the replay."""

import socket
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.utils import timezone

from live.models import LiveStream
from live.streaming.encoders import EncoderSupervisor, stream_prefix, stream_replay_close
from live.streaming.ingest_server import ingest_server_prepare
from live.streaming.keys import stream_key_issue
from playback.services import live_encoding

from .factories import webinar_course, webinar_session_make

pytestmark = pytest.mark.skipif(
    not Path(settings.LIVE_NGINX_BINARY).exists(),
    reason="nginx with libnginx-mod-rtmp is missing: scripts/install-system-packages.sh test",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


@pytest.fixture
def ingest(live_server, migrated_data, tmp_path):
    """nginx on a free port, calling back the test's live server; stopped after the test."""
    port = _free_port()
    server = ingest_server_prepare(
        var_dir=tmp_path / "ingest", port=port, callback_url=live_server.url
    )
    process = subprocess.Popen(server.command, stderr=subprocess.PIPE)

    def listening():
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    try:
        _wait_for(listening, seconds=5, what="nginx to listen")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=5)


def _publish(port: int, key: str, *, seconds: float) -> subprocess.Popen:
    """ffmpeg as the presenter's OBS: a 640×360 test pattern with a tone, in real time."""
    return subprocess.Popen(
        [
            settings.FFMPEG_BINARY, "-hide_banner", "-nostdin", "-loglevel", "error",
            "-re", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
            "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", str(seconds),
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "96k",
            "-f", "flv", f"rtmp://127.0.0.1:{port}/live/{key}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip


@pytest.fixture
def issued():
    start = timezone.now() + timedelta(minutes=5)
    session = webinar_session_make(course=webinar_course(), starts_at=start)
    return stream_key_issue(session=session)


def test_a_valid_key_goes_live_and_a_second_publisher_is_refused(
    ingest, issued, settings, monkeypatch
):
    monkeypatch.setattr(live_encoding, "SCRATCH_KEPT_SEGMENTS", 2)
    presenter = _publish(ingest, issued.key, seconds=9)
    stream = LiveStream.objects.filter(pk=issued.stream.pk)
    _wait_for(lambda: stream.exclude(publisher_client="").exists(), seconds=10, what="the publish")
    # The encoder starts at once, as the supervisor's next tick would start it: on a busy
    # machine the refusal below can take seconds, and an encoder joining at the publish's last
    # second would find no picture to read.
    supervisor = EncoderSupervisor(port=ingest)
    supervisor.tick()
    second = _publish(ingest, issued.key, seconds=5)
    assert second.wait(timeout=15) != 0, "a second publisher on the same key was accepted"

    storage = storages["videos"]
    prefix = stream_prefix(issued.stream)
    rung = f"{prefix}/360p/index.m3u8"

    def segments_stored():
        supervisor.tick()
        return storage.exists(f"{prefix}/master.m3u8") and storage.exists(rung)

    _wait_for(segments_stored, seconds=20, what="the live ladder in storage")
    # Stored segments leave the encoder's scratch folder as it runs but the newest (here
    # two; a segment removed before it was stored would fail its upload), and nothing of the
    # publish stays there once it is stored.
    scratch = Path(settings.VAR_DIR) / "live" / "scratch" / str(issued.stream.uuid)
    assert presenter.wait(timeout=20) == 0, presenter.stderr.read().decode()
    _wait_for(lambda: stream.filter(publisher_client="").exists(), seconds=10, what="publish done")
    _wait_for(lambda: not supervisor.running or supervisor.tick(), seconds=20, what="encoder")
    for thread in supervisor.running.values():
        thread.join(timeout=20)
    assert not scratch.exists()  # all of it is stored: nothing stays on the encoder's disk

    master = storage.open(f"{prefix}/master.m3u8").read().decode()
    assert "360p/index.m3u8" in master and "audio/index.m3u8" in master
    playlist = storage.open(rung).read().decode()
    assert "#EXT-X-PROGRAM-DATE-TIME:" in playlist and "#EXT-X-ENDLIST" not in playlist
    lines = playlist.splitlines()
    segments = [line for line in lines if line.startswith("p1/")]
    assert len(segments) >= 2 and all(storage.exists(f"{prefix}/360p/{s}") for s in segments)
    # x264 names its settings in the stream: frame threads, not zerolatency's slices.
    first = storage.open(f"{prefix}/360p/{segments[0]}").read()
    assert b"sliced_threads=0" in first and b"threads=4 " in first
    durations = [float(line[8:].rstrip(",")) for line in lines if line.startswith("#EXTINF:")]
    segment = settings.LIVE_SEGMENT_SECONDS
    assert all(abs(seconds - segment) < 0.05 for seconds in durations[:-1])  # but the last

    stream_replay_close(stream.get())
    replay = storage.open(rung).read().decode()
    assert replay.rstrip().endswith("#EXT-X-ENDLIST") and "#EXT-X-PLAYLIST-TYPE:VOD" in replay
    assert stream.get().replay_ready_at is not None


def test_a_wrong_key_is_refused(ingest, issued):
    presenter = _publish(ingest, "not-the-key", seconds=3)
    assert presenter.wait(timeout=15) != 0
    assert not LiveStream.objects.exclude(publisher_client="").exists()
