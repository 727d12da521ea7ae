"""Playlists pass through Django with a short-lived token bound to the viewer; bytes do not."""

import pytest
from django.core import signing
from django.test import override_settings

from playback.delivery import master_url
from playback.services.pipeline import video_process
from tests.factories import UserFactory

from .conftest import video_with_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_video(clips):
    return video_process(video=video_with_source(data=clips["small"].read_bytes()))


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
