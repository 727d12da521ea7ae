"""Stream keys (decision 17): stored only as a hash, valid from shortly before the start until
shortly after the planned end, one publisher at a time, a dropped presenter continues within the
grace period; the ingest callbacks answer only this machine."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from live.models import LiveStream
from live.streaming.ingest import (
    Refusal,
    publish_check,
    publish_done,
    stream_end,
    streams_end_abandoned,
)
from live.streaming.keys import key_hash, stream_key_issue

from .factories import webinar_course, webinar_session_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    session = webinar_session_make(course=webinar_course())
    return stream_key_issue(session=session)


def test_a_key_is_stored_only_as_its_hash_and_a_new_one_replaces_it(issued):
    stream = issued.stream
    assert len(issued.key) == 32 and issued.key not in stream.key_hash
    assert stream.key_hash == key_hash(issued.key)
    renewed = stream_key_issue(session=stream.session)
    assert renewed.stream.pk == stream.pk and renewed.key != issued.key
    at = stream.session.starts_at
    assert publish_check(key=issued.key, client="1", now=at).refusal == Refusal.UNKNOWN_KEY
    assert publish_check(key=renewed.key, client="1", now=at).accepted


def test_a_key_works_only_around_the_session(issued, settings):
    session = issued.stream.session
    early = timedelta(minutes=settings.LIVE_KEY_EARLY_MINUTES)
    late = timedelta(minutes=settings.LIVE_KEY_LATE_MINUTES)
    too_early = session.starts_at - early - timedelta(seconds=1)
    too_late = session.ends_at + late + timedelta(seconds=1)
    for moment in (too_early, too_late):
        answer = publish_check(key=issued.key, client="1", now=moment)
        assert answer.refusal == Refusal.OUTSIDE_WINDOW
    assert publish_check(key=issued.key, client="1", now=session.starts_at - early).accepted


def test_one_publisher_at_a_time_and_a_dropped_one_continues_within_the_grace(issued, settings):
    start = issued.stream.session.starts_at
    first = publish_check(key=issued.key, client="7", now=start)
    assert first.accepted and not first.resumed
    assert publish_check(key=issued.key, client="8", now=start).refusal == Refusal.BUSY

    assert publish_done(name=issued.key, client="8") is None  # the refused one leaving
    gone = publish_done(name=str(issued.stream.uuid), client="7", now=start)
    assert gone.state == LiveStream.State.LIVE and not gone.is_publishing
    back = publish_check(key=issued.key, client="9", now=start + timedelta(seconds=30))
    assert back.accepted and back.resumed and back.stream.publishes == 2

    publish_done(name=issued.key, client="9", now=start + timedelta(seconds=40))
    grace = timedelta(seconds=settings.LIVE_RECONNECT_GRACE_SECONDS + 1)
    assert streams_end_abandoned(now=start + timedelta(seconds=40) + grace) == 1
    late = publish_check(key=issued.key, client="10", now=start + timedelta(minutes=5))
    assert late.refusal == Refusal.ENDED


def test_the_callbacks_answer_only_this_machine(client, issued, settings):
    session = issued.stream.session
    session.starts_at = timezone.now() - timedelta(minutes=1)
    session.ends_at = session.starts_at + timedelta(hours=1)
    session.save()
    url = reverse("live:ingest_publish")
    data = {"call": "publish", "name": issued.key, "clientid": "3", "addr": "192.0.2.4"}
    assert client.post(url, data, REMOTE_ADDR="192.0.2.4").status_code == 403
    assert client.post(url, {**data, "name": "wrong"}).status_code == 403
    accepted = client.post(url, data)
    assert accepted.status_code == 302
    assert accepted["Location"] == str(issued.stream.uuid)
    done_url = reverse("live:ingest_publish_done")
    done = client.post(done_url, {"name": accepted["Location"], "clientid": "3"})
    assert done.status_code == 200
    issued.stream.refresh_from_db()
    assert issued.stream.publisher_left_at is not None


def test_staff_see_the_ingest_and_a_new_key_once(client, issued, django_user_model):
    staff = django_user_model.objects.create_superuser("regie@example.nl", "x")
    client.force_login(staff)
    url = reverse("live_stream_key", args=[issued.stream.session_id])
    page = client.get(url)
    assert page.status_code == 200 and "rtmp://" in page.content.decode()
    assert "data-stream-key" not in page.content.decode()
    made = client.post(url)
    key = made.content.decode().split("data-stream-key>", 1)[1].split("<", 1)[0]
    assert "no-store" in made["Cache-Control"]
    issued.stream.refresh_from_db()
    assert issued.stream.key_hash == key_hash(key) != key_hash(issued.key)


def test_an_editor_ends_the_webinar_once_the_presenter_has_stopped(issued):
    start = issued.stream.session.starts_at
    publish_check(key=issued.key, client="4", now=start)
    with pytest.raises(ValidationError, match="OBS"):
        stream_end(stream_id=issued.stream.pk)
    publish_done(name=issued.key, client="4", now=start)
    assert stream_end(stream_id=issued.stream.pk).state == LiveStream.State.ENDED
    assert publish_check(key=issued.key, client="5", now=start).refusal == Refusal.ENDED
