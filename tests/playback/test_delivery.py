"""Playlists pass through Django with a short-lived token bound to the viewer; bytes do not."""

import json
import re
from decimal import Decimal

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from playback.delivery import byte_range, master_url
from playback.models import Enrolment, Video
from playback.services.pipeline import video_process
from tests.factories import UserFactory, course_publish, learner_with_profile

from .conftest import video_with_source

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _ready_video_id(module_rows, clips):
    """A small clip, transcoded once for this module."""
    return module_rows(
        lambda: video_process(video=video_with_source(data=clips["small"].read_bytes())).pk
    )


@pytest.fixture
def ready_video(_ready_video_id):
    return Video.objects.get(pk=_ready_video_id)


def test_a_viewer_gets_playlists_with_expiring_segment_urls(client, ready_video, settings):
    viewer = UserFactory()
    client.force_login(viewer)
    master = client.get(master_url(video=ready_video, user=viewer))
    assert master.status_code == 200
    assert master["Content-Type"] == "application/vnd.apple.mpegurl"
    assert "private" in master["Cache-Control"] and "no-store" in master["Cache-Control"]
    media_uri = next(line for line in master.text.splitlines() if line.endswith("index.m3u8"))
    media = client.get(media_uri)
    assert media.status_code == 200
    segment_uri = next(line for line in media.text.splitlines() if not line.startswith("#"))
    if settings.AWS_STORAGE_BUCKET_NAME:
        assert "X-Amz-Signature=" in segment_uri and "X-Amz-Expires=" in segment_uri
    else:
        segment = client.get(segment_uri)
        assert segment.status_code == 200
        assert segment["Content-Type"] == "video/iso.segment"
        assert len(b"".join(segment.streaming_content)) > 1000


def test_a_viewer_fetches_a_keyframe_by_the_byte_range_its_iframe_playlist_names(
    client, ready_video, settings
):
    viewer = UserFactory()
    client.force_login(viewer)
    master = client.get(master_url(video=ready_video, user=viewer)).text
    iframes_uri = re.search(r'^#EXT-X-I-FRAME-STREAM-INF:.*URI="([^"]+)"', master, re.M).group(1)
    playlist = client.get(iframes_uri)
    assert playlist.status_code == 200 and "#EXT-X-I-FRAMES-ONLY" in playlist.text
    lines = playlist.text.splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("#EXT-X-BYTERANGE:"))
    length, offset = map(int, lines[at].split(":")[1].split("@"))
    wanted = f"bytes={offset}-{offset + length - 1}"
    if settings.AWS_STORAGE_BUCKET_NAME:
        import requests

        response = requests.get(lines[at + 1], headers={"Range": wanted}, timeout=10)
        status, body = response.status_code, response.content
    else:
        response = client.get(lines[at + 1], HTTP_RANGE=wanted)
        status, body = response.status_code, response.content
        assert response["Content-Range"].startswith(f"bytes {offset}-{offset + length - 1}/")
        beyond = client.get(lines[at + 1], HTTP_RANGE="bytes=999999999-")
        assert beyond.status_code == 416
    assert status == 206
    assert len(body) == length and body[4:8] == b"moof"


@pytest.mark.parametrize(
    ("header", "span"),
    [
        (None, None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=900-5000", (900, 999)),
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
        ("items=0-1", None),
    ],
)
def test_a_byte_range_is_read_from_the_range_header(header, span):
    assert byte_range(header, 1000) == span


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5-4", "bytes=-0"])
def test_a_byte_range_outside_the_file_is_refused(header):
    with pytest.raises(ValueError):
        byte_range(header, 1000)


def test_a_copied_playlist_url_is_refused_for_someone_else(client, ready_video):
    owner, other = UserFactory(), UserFactory()
    url = master_url(video=ready_video, user=owner)
    client.force_login(other)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 403


def test_tampered_and_expired_urls_are_refused(client, ready_video):
    viewer = UserFactory()
    client.force_login(viewer)
    url = master_url(video=ready_video, user=viewer)
    token = url.split("/")[3]
    assert client.get(url.replace(token, token[:-2] + "xx")).status_code == 403
    assert client.get(url.replace("master.m3u8", "../../etc/passwd.m3u8")).status_code in (403, 404)
    with override_settings(PLAYBACK_URL_TTL_SECONDS=-1):
        assert client.get(url).status_code == 403


def test_a_tampered_segment_url_is_refused(client):
    forged = signing.dumps({"n": "videos/x/source/original.mp4", "t": 60}, salt="other")
    assert client.get(f"/stream/hls-segment/{forged}").status_code == 403


def test_nothing_is_handed_out_before_the_video_is_playable(clips):
    video = video_with_source(data=clips["small"].read_bytes())
    assert master_url(video=video, user=UserFactory()) is None


# --- Access checked again while a lecture plays -------------------------------------------------


def _episode(*, price=Decimal("0")):
    """An episode whose video has two media playlists and seek thumbnails in storage, as the
    pipeline publishes them."""
    video = Video.objects.create(
        title="College", state=Video.State.READY, duration=600.0, published_generation=1
    )
    prefix = f"videos/{video.uuid}/hls/1"
    storage = storages["videos"]
    master = "#EXTM3U\n"
    for rung in ("360p", "720p"):
        master += f"#EXT-X-STREAM-INF:BANDWIDTH=1\n{rung}/index.m3u8\n"
        playlist = b"#EXTM3U\n#EXTINF:6,\nseg0.m4s\n#EXT-X-ENDLIST\n"
        storage.save(f"{prefix}/{rung}/index.m3u8", ContentFile(playlist))
    storage.save(f"{prefix}/master.m3u8", ContentFile(master.encode()))
    storage.save(
        f"{prefix}/thumbnails/index.vtt",
        ContentFile(b"WEBVTT\n\n00:00:00.000 --> 00:00:06.000\nsprite.jpg#xywh=0,0,160,90\n"),
    )
    course = course_publish(title="Echografie", episodes=["Probe"], price=price)
    episode = course.get_children().specific().first()
    episode.video = video
    episode.save_revision().publish()
    return course, episode


def _player_config(client, episode) -> dict:
    html = client.get(episode.url).content.decode()
    start = html.index('id="player-config"')
    return json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])


def _nested(client, master_url) -> list[str]:
    master = client.get(master_url)
    assert master.status_code == 200
    return [line for line in master.text.splitlines() if line.endswith("index.m3u8")]


def test_a_withdrawn_enrolment_stops_the_playlists_the_learner_already_holds(client):
    learner = learner_with_profile()
    client.force_login(learner)
    course, episode = _episode(price=Decimal("95"))
    enrolment = Enrolment.objects.create(user=learner, course=course)
    config = _player_config(client, episode)
    low, high = _nested(client, config["master"])
    assert client.get(low).status_code == 200
    assert client.get(config["thumbnails"]).status_code == 200

    enrolment.delete()  # withdrawn by staff, mid-lecture
    assert client.get(high).status_code == 403  # a change of quality
    assert client.get(low).status_code == 403
    assert client.get(config["thumbnails"]).status_code == 403
    Enrolment.objects.create(user=learner, course=course)  # enrolled again: the same URLs work
    assert client.get(high).status_code == 200


def test_the_recheck_costs_a_free_course_nothing_and_a_paid_one_one_query(client):
    learner = learner_with_profile()
    client.force_login(learner)
    queries = {}
    for price in (Decimal("0"), Decimal("95")):
        course, episode = _episode(price=price)
        if price:
            Enrolment.objects.create(user=learner, course=course)
        master = _player_config(client, episode)["master"]
        with CaptureQueriesContext(connection) as on_master:
            low, _high = _nested(client, master)
        with CaptureQueriesContext(connection) as on_nested:
            assert client.get(low).status_code == 200
        queries[bool(price)] = len(on_nested) - len(on_master)
    assert queries == {False: 0, True: 1}
