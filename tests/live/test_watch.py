"""Watching a webinar (decision 17): a registered learner gets the waiting room before the
start, the live player once the ladder is stored, and the replay after; the stream's files are
served only under the cookie the page gave, by path, without another check."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from live.models import LiveStream
from live.registration import session_register
from live.streaming.encoders import stream_prefix
from live.streaming.keys import stream_key_issue
from live.watch_facts import session_watch_facts_forget
from tests.factories import learner_with_profile

from .factories import webinar_course, webinar_session_make

pytestmark = pytest.mark.django_db


def test_waiting_room_then_live_then_replay(client):
    session = webinar_session_make(course=webinar_course())
    learner = learner_with_profile()
    session_register(session_id=session.pk, user=learner)
    client.force_login(learner)
    url = reverse("live:watch", args=[session.pk])

    course_page = client.get(session.course.url).content.decode()
    assert f'href="{url}" data-watch' in course_page

    waiting = client.get(url).content.decode()
    assert 'data-state="waiting"' in waiting and "data-countdown" in waiting

    stream = stream_key_issue(session=session).stream
    LiveStream.objects.filter(pk=stream.pk).update(state=LiveStream.State.LIVE)
    storages["videos"].save(f"{stream_prefix(stream)}/master.m3u8", ContentFile(b"#EXTM3U\n"))
    assert 'data-state="waiting"' in client.get(url).content.decode()  # the shared facts, kept
    session_watch_facts_forget(session.pk)  # as after WATCH_FACTS_SECONDS
    live = client.get(url)
    assert (
        'data-state="live"' in live.content.decode() and "data-live-badge" in live.content.decode()
    )
    master = f"/live/{stream.uuid}/hls/master.m3u8"
    assert master in live.content.decode()

    played = client.get(master)
    assert played.status_code == 200 and played["Content-Type"] == "application/vnd.apple.mpegurl"
    assert played["Cache-Control"] == "private, max-age=1"  # a new segment every second or two
    assert b"".join(played.streaming_content) == b"#EXTM3U\n"
    # ffmpeg names each rung's init section init_<n>.mp4
    storages["videos"].save(f"{stream_prefix(stream)}/360p/p1/init_0.mp4", ContentFile(b"ftyp"))
    init = client.get(f"/live/{stream.uuid}/hls/360p/p1/init_0.mp4")
    assert init.status_code == 200 and init["Content-Type"] == "video/mp4"
    assert init["Cache-Control"] == "private, max-age=31536000, immutable"
    assert client.get(f"/live/{stream.uuid}/hls/../secret.txt").status_code == 404
    assert Client().get(master).status_code == 403  # no cookie: no stream
    # A player asking for a delta update of a rung's playlist gets the delta (RFC 8216bis).
    for name, text in (("index.m3u8", b"#EXTM3U\nfull\n"), ("delta.m3u8", b"#EXTM3U\ndelta\n")):
        storages["videos"].save(f"{stream_prefix(stream)}/360p/{name}", ContentFile(text))
    rung = f"/live/{stream.uuid}/hls/360p/index.m3u8"
    for query, body in (("", b"full"), ("?_HLS_skip=YES", b"delta"), ("?_HLS_skip=v2", b"delta")):
        assert body in b"".join(client.get(rung + query).streaming_content)
    assert b"full" in b"".join(client.get(rung + "?_HLS_skip=no").streaming_content)
    assert client.get(f"/live/{stream.uuid}/hls/360p/delta.m3u8").status_code == 404
    assert Client().get(rung + "?_HLS_skip=YES").status_code == 403

    LiveStream.objects.filter(pk=stream.pk).update(
        state=LiveStream.State.ENDED, replay_ready_at=timezone.now() - timedelta(seconds=1)
    )
    session_watch_facts_forget(session.pk)
    replay = client.get(url).content.decode()
    assert 'data-state="replay"' in replay and "data-live-badge" not in replay


def test_a_viewer_joining_costs_the_check_of_their_place_and_no_storage_request(
    client, monkeypatch, django_assert_max_num_queries
):
    """At the start thousands open the page within seconds: the session, course and stream are
    read once per session every few seconds, each viewer adds only their own place."""
    session = webinar_session_make(course=webinar_course())
    stream = stream_key_issue(session=session).stream
    LiveStream.objects.filter(pk=stream.pk).update(state=LiveStream.State.LIVE)
    storages["videos"].save(f"{stream_prefix(stream)}/master.m3u8", ContentFile(b"#EXTM3U\n"))
    first, second = learner_with_profile(), learner_with_profile()
    url = reverse("live:watch", args=[session.pk])
    viewers = []
    for learner in (first, second):
        session_register(session_id=session.pk, user=learner)
        viewer = Client()
        viewer.force_login(learner)
        viewer.get(url)  # the waiting room, opened before the start
        viewers.append(viewer)
    storage_reads = []
    storage = type(storages["videos"])
    exists = storage.exists
    monkeypatch.setattr(
        storage, "exists", lambda self, name: storage_reads.append(name) or exists(self, name)
    )

    # The sign-in session (none where sessions live in Redis), the viewer's account, their place.
    with django_assert_max_num_queries(3):
        page = viewers[1].get(url)
    assert 'data-state="live"' in page.content.decode()
    assert page.cookies[f"live_{stream.uuid.hex[:12]}"].value
    assert storage_reads == []
