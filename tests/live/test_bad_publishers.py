"""Presenters who send what a webinar cannot use, against the real ingest (nginx with the RTMP
module) and ffmpeg as OBS: sound without picture is refused with the reason on the admin page,
4K at 120 fps becomes the ladder up to 1080p at 30 fps, a publisher that dies mid-segment leaves
valid playlists and, after the reconnect grace, a replay; one that publishes again within the
grace continues the same playlists after a discontinuity; the editor ends a webinar while the
presenter still publishes. Nothing stays live. A paid webinar admits only learners with access.
"""

import subprocess
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from catalog.models import CoursePage
from live.models import LiveStream
from live.registration import session_register
from live.streaming.encoders import EncoderSupervisor, stream_prefix
from live.streaming.ingest import stream_end
from playback.models import Enrolment, Video
from tests.factories import learner_with_profile

from .factories import webinar_course, webinar_session_make
from .test_ingest import _wait_for
from .test_ingest import pytestmark as needs_ingest

PICTURE = "testsrc2=size=640x360:rate=30"


def _publish(port: int, key: str, *, seconds: float, picture: str | None, gop: int = 60):
    """ffmpeg as the presenter's OBS, in real time; ``picture`` a lavfi source, None: sound only."""
    inputs = ["-re", "-f", "lavfi", "-i", picture] if picture else []
    video = ["-c:v", "libx264", "-preset", "ultrafast", "-g", str(gop), "-pix_fmt", "yuv420p"]
    return subprocess.Popen(
        [
            settings.FFMPEG_BINARY, "-hide_banner", "-nostdin", "-loglevel", "error", *inputs,
            "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", str(seconds), *(video if picture else []), "-c:a", "aac", "-b:a", "96k",
            "-f", "flv", f"rtmp://127.0.0.1:{port}/live/{key}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip


@pytest.fixture
def supervisor(ingest, tmp_path, settings):
    settings.LIVE_RECONNECT_GRACE_SECONDS = 1  # instead of a minute
    settings.LIVE_X264_PRESET = "ultrafast"
    return EncoderSupervisor(port=ingest, control_socket=tmp_path / "ingest" / "control.sock")


def _stream(issued):
    return LiveStream.objects.select_related("session").get(pk=issued.stream.pk)


def _ticking(supervisor, condition):
    def check():
        supervisor.tick()
        return condition()

    return check


def _segments_stored(issued, rung="360p"):
    name = f"{stream_prefix(issued.stream)}/{rung}/index.m3u8"
    return lambda: storages["videos"].exists(name)


def _read(issued, name: str) -> str:
    return storages["videos"].open(f"{stream_prefix(issued.stream)}/{name}").read().decode()


def _nothing_live():
    return not LiveStream.objects.filter(state=LiveStream.State.LIVE).exists()


@needs_ingest
def test_sound_without_picture_is_refused_with_the_reason_and_ends(
    ingest, issued, supervisor, client, django_user_model
):
    presenter = _publish(ingest, issued.key, seconds=20, picture=None)
    refused = _ticking(supervisor, lambda: _stream(issued).encoder_problem)
    assert _wait_for(refused, seconds=20, what="the encoder's refusal") == "no_picture"
    assert presenter.wait(timeout=10) != 0  # dropped by the ingest, long before its 20 s

    ended = _ticking(supervisor, lambda: _stream(issued).replay_ready_at)
    _wait_for(ended, seconds=15, what="the stream to end after the grace")
    stream = _stream(issued)
    assert stream.state == LiveStream.State.ENDED and stream.replay_episode_id is None
    assert _nothing_live()

    client.force_login(django_user_model.objects.create_superuser("regie@example.nl", "x"))
    page = client.get(reverse("live_stream_key", args=[stream.session_id])).content.decode()
    assert "Geweigerd: de presentator stuurt alleen geluid." in page


@needs_ingest
def test_4k_at_120_fps_becomes_the_ladder_up_to_1080p_at_30_fps(ingest, issued, supervisor):
    # Long enough that the encoder, which joins once the picture can be sized, finds the
    # presenter still on air on a busy machine.
    presenter = _publish(
        ingest, issued.key, seconds=6, picture="color=c=0x2b6cb0:size=3840x2160:rate=120", gop=60
    )
    master = f"{stream_prefix(issued.stream)}/master.m3u8"
    stored = _ticking(supervisor, lambda: storages["videos"].exists(master))
    _wait_for(stored, seconds=120, what="the ladder of a 4K stream")  # 4K is slow to publish
    presenter.wait(timeout=30)
    text = _read(issued, "master.m3u8")
    assert "RESOLUTION=1920x1080" in text and "2160" not in text and "1440" not in text
    assert "FRAME-RATE=30.000" in text and "FRAME-RATE=120" not in text

    gone = _ticking(supervisor, lambda: not supervisor.running and _stream(issued).replay_ready_at)
    _wait_for(gone, seconds=30, what="the encoder to finish and the stream to end")
    assert _nothing_live() and _stream(issued).replay_episode_id


@needs_ingest
def test_a_publisher_dying_mid_segment_leaves_valid_playlists_and_a_replay(
    ingest, issued, supervisor
):
    presenter = _publish(ingest, issued.key, seconds=30, picture=PICTURE)
    _wait_for(_ticking(supervisor, _segments_stored(issued)), seconds=20, what="the first segment")
    time.sleep(1.5)  # halfway into a segment
    presenter.kill()  # no goodbye: the connection just drops
    gone_at = time.monotonic()

    replay = _ticking(supervisor, lambda: _stream(issued).replay_episode_id)
    _wait_for(replay, seconds=20, what="the replay after the grace")
    replay_seconds = time.monotonic() - gone_at
    # The 10 s is the benchmark's (1.5-2.5 s there); here three test workers share the
    # machine, and an encoder behind real time first encodes what the ingest still holds.
    assert replay_seconds <= 15, f"the replay took {replay_seconds:.1f} s"
    assert _nothing_live()

    playlist = _read(issued, "360p/index.m3u8")
    assert playlist.endswith("#EXT-X-ENDLIST\n") and "#EXT-X-PLAYLIST-TYPE:VOD" in playlist
    target = int(playlist.split("#EXT-X-TARGETDURATION:")[1].split("\n")[0])
    durations = [float(line[8:].rstrip(",")) for line in playlist.splitlines() if "EXTINF" in line]
    assert durations and all(0 < seconds <= target + 0.5 for seconds in durations)
    uris = [line for line in playlist.splitlines() if line.startswith("p1/")]
    storage = storages["videos"]
    prefix = stream_prefix(issued.stream)
    assert all(storage.exists(f"{prefix}/360p/{uri}") for uri in uris)
    assert all(storage.size(f"{prefix}/360p/{uri}") > 0 for uri in uris)

    video = Video.objects.get(pk=_stream(issued).replay_video_id)
    assert video.state == Video.State.READY and video.poster_id is not None  # from a segment
    assert abs(video.duration - sum(durations)) < 0.04  # within a frame


@needs_ingest
def test_a_presenter_who_drops_and_publishes_again_within_the_grace_continues_the_stream(
    ingest, issued, supervisor, settings
):
    settings.LIVE_RECONNECT_GRACE_SECONDS = 30  # a network hiccup, not the end
    first = _publish(ingest, issued.key, seconds=30, picture=PICTURE)
    _wait_for(_ticking(supervisor, _segments_stored(issued)), seconds=20, what="the first segment")
    time.sleep(2.5)  # a segment or two more
    first.kill()  # the connection drops
    _wait_for(lambda: _stream(issued).publisher_left_at, seconds=10, what="the drop to be seen")
    assert _stream(issued).state == LiveStream.State.LIVE

    # Publishing for long enough that the encoder, which joins once the picture can be sized,
    # finds the presenter still on air on a busy machine.
    again = _publish(ingest, issued.key, seconds=30, picture=PICTURE)
    second_part = _ticking(supervisor, lambda: "p2/seg_" in _read(issued, "360p/index.m3u8"))
    _wait_for(second_part, seconds=40, what="the second publish in the same playlist")
    stream = _stream(issued)
    assert stream.state == LiveStream.State.LIVE and stream.publishes == 2
    playlist = _read(issued, "360p/index.m3u8")
    assert "#EXT-X-ENDLIST" not in playlist
    seam = playlist.index("#EXT-X-DISCONTINUITY\n")
    assert playlist.index("p1/seg_") < seam < playlist.index('#EXT-X-MAP:URI="p2/init_0.mp4"')
    assert again.poll() is None  # still on air: the stream took the second publish
    again.kill()

    settings.LIVE_RECONNECT_GRACE_SECONDS = 1  # the presenter does not come back again
    replay = _ticking(supervisor, lambda: _stream(issued).replay_episode_id)
    _wait_for(replay, seconds=20, what="the replay")
    assert _nothing_live()
    closed = _read(issued, "360p/index.m3u8")
    assert closed.endswith("#EXT-X-ENDLIST\n") and "p1/seg_" in closed and "p2/seg_" in closed


@needs_ingest
def test_the_editor_ends_the_webinar_while_the_presenter_publishes(
    ingest, issued, supervisor, tmp_path
):
    presenter = _publish(ingest, issued.key, seconds=30, picture=PICTURE)
    _wait_for(_ticking(supervisor, _segments_stored(issued)), seconds=20, what="the first segment")

    control = tmp_path / "ingest" / "control.sock"
    assert stream_end(stream_id=issued.stream.pk, control_socket=control).state == "ended"
    assert presenter.wait(timeout=10) != 0  # the presenter was dropped
    again = _publish(ingest, issued.key, seconds=3, picture=PICTURE)
    assert again.wait(timeout=15) != 0  # and cannot come back

    replay = _ticking(supervisor, lambda: _stream(issued).replay_episode_id)
    _wait_for(replay, seconds=20, what="the replay")
    assert _nothing_live()


@pytest.mark.django_db
def test_a_paid_webinar_admits_only_learners_with_access_to_the_course(client):
    course = webinar_course()
    session = webinar_session_make(course=course, starts_at=timezone.now() + timedelta(days=2))
    learner, other = learner_with_profile(), learner_with_profile()
    session_register(session_id=session.pk, user=learner)  # while the course was free
    CoursePage.objects.filter(pk=course.pk).update(price=Decimal("45.00"))
    with pytest.raises(ValidationError, match="betaald webinar"):
        session_register(session_id=session.pk, user=other)

    client.force_login(learner)  # registered, but without access to the course now
    url = reverse("live:watch", args=[session.pk])
    refused = client.get(url)
    assert refused.status_code == 403
    assert "Dit is een betaald webinar." in refused.content.decode()
    assert not any(name.startswith("live_") for name in refused.cookies)

    Enrolment.objects.create(user=learner, course_id=course.pk)
    assert client.get(url).status_code == 200
