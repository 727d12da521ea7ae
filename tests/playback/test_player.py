"""The player on an episode page: who may watch, where playback starts, what comes next."""

import json
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from playback.models import Enrolment, PlaybackSession, Video, Voucher
from playback.services.enrolment import voucher_code_normalise
from playlists import services as path_services
from tests.factories import course_publish, learner_with_profile, progress_record

pytestmark = pytest.mark.django_db


def _video(**fields) -> Video:
    defaults = {"title": "College", "state": Video.State.READY, "duration": 600.0}
    defaults |= fields
    if defaults["state"] == Video.State.READY:
        defaults.setdefault("published_generation", 1)
    return Video.objects.create(**defaults)


def _course(title="Wondzorg", episodes=("Risico", "Behandeling", "Nazorg"), **fields):
    course = course_publish(title=title, episodes=episodes, **fields)
    for episode in course.get_children().specific():
        episode.video = _video(title=episode.title)
        episode.save_revision().publish()
    return course


def _episodes(course):
    return list(course.get_children().specific().order_by("path"))


def _config(response) -> dict:
    html = response.content.decode()
    start = html.index('id="player-config"')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return json.loads(body)


@pytest.fixture
def learner(client):
    user = learner_with_profile()
    client.force_login(user)
    return user


def test_a_learner_gets_a_signed_player_for_a_free_course(client, learner):
    first, second, _third = _episodes(_course())
    response = client.get(first.url)
    assert response.status_code == 200
    config = _config(response)
    assert config["master"].startswith("/stream/hls/") and config["master"].endswith("master.m3u8")
    assert f'data-master-url="{config["master"]}"' in response.content.decode()
    assert config["next"] == {"url": second.url, "title": "Behandeling"}
    assert config["startAt"] == 0 and config["duration"] == 600.0
    assert config["sessionUrl"] == "/stream/afspelen/sessies/"


def test_playback_resumes_where_the_learner_left_off_or_at_the_link_s_second(client, learner):
    course = _course()
    first = _episodes(course)[0]
    progress_record(user=learner, course=course, episode=first, share=0.4)  # 240 s of 600
    assert _config(client.get(first.url))["startAt"] == 240
    assert _config(client.get(first.url + "?t=75.5"))["startAt"] == 75.5
    for nonsense in ("abc", "-5", "nan", "1e9", "inf"):
        assert _config(client.get(f"{first.url}?t={nonsense}"))["startAt"] in (0, 240)


def test_the_last_episode_has_no_next_and_chapters_come_with_times(client, learner):
    from catalog.models import EpisodeChapter

    last = _episodes(_course())[-1]
    EpisodeChapter.objects.create(episode=last, start=timedelta(minutes=2, seconds=5), title="Zalf")
    EpisodeChapter.objects.create(episode=last, start=timedelta(hours=2), title="Voorbij het eind")
    response = client.get(last.url)
    config = _config(response)
    assert config["next"] is None
    assert config["chapters"] == [{"start": 125.0, "title": "Zalf"}]
    assert (
        'data-seek-to="125.0"' in response.content.decode() and "2:05" in response.content.decode()
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"state": Video.State.TRANSCODING, "published_generation": None}, "wordt nog voorbereid"),
        ({"state": Video.State.FAILED, "published_generation": None}, "kon niet worden voorbereid"),
    ],
)
def test_a_video_that_is_not_ready_says_why(client, learner, change, message):
    first = _episodes(_course())[0]
    Video.objects.filter(pk=first.video_id).update(**change)
    response = client.get(first.url)
    assert message in response.content.decode()
    assert "data-master-url" not in response.content.decode()


def test_a_visitor_is_asked_to_sign_in(client):
    first = _episodes(_course())[0]
    response = client.get(first.url)
    assert "Log in om deze aflevering te bekijken" in response.content.decode()
    assert "data-master-url" not in response.content.decode()


def test_a_paid_course_needs_an_enrolment(client, learner):
    course = _course(title="Echografie", price=Decimal("95"))
    first = _episodes(course)[0]
    response = client.get(first.url)
    html = response.content.decode()
    assert "betaalde cursus" in html and 'name="code"' in html
    assert "data-master-url" not in html
    start = client.post(
        "/stream/afspelen/sessies/", json.dumps({"episode": first.pk}), "application/json"
    )
    assert start.status_code == 404 and not PlaybackSession.objects.exists()

    Enrolment.objects.create(user=learner, course=course)
    assert "data-master-url" in client.get(first.url).content.decode()


def test_a_voucher_enrols_once_and_is_counted(client, learner):
    course = _course(title="Echografie", price=Decimal("95"))
    first = _episodes(course)[0]
    voucher = Voucher.objects.create(course=course, max_uses=2)
    typed = voucher.code.lower().replace("-", " ")
    response = client.post("/stream/voucher/", {"code": typed, "next": first.url})
    assert response.status_code == 302 and response["Location"] == first.url
    assert Enrolment.objects.get(user=learner).source == Enrolment.Source.VOUCHER
    client.post("/stream/voucher/", {"code": voucher.code, "next": first.url})
    voucher.refresh_from_db()
    assert voucher.uses == 1  # the second try by the same learner used nothing
    assert "data-master-url" in client.get(first.url).content.decode()


NOT_VALID = "Deze vouchercode is niet (meer) geldig."


@pytest.mark.parametrize(
    ("voucher_fields", "code", "message"),
    [
        ({}, "ZZZZ-ZZZZ-ZZZZ", NOT_VALID),
        ({}, "", "zoals je die hebt gekregen"),
        # Expired and used up answer as an unknown code does: a guesser learns nothing.
        ({"valid_until": timezone.localdate() - timedelta(days=1)}, None, NOT_VALID),
        ({"uses": 1, "max_uses": 1}, None, NOT_VALID),
    ],
)
def test_a_bad_voucher_is_refused_with_a_reason(client, learner, voucher_fields, code, message):
    course = _course(title="Echografie", price=Decimal("95"))
    first = _episodes(course)[0]
    voucher = Voucher.objects.create(course=course, **voucher_fields)
    response = client.post(
        "/stream/voucher/",
        {"code": voucher.code if code is None else code, "next": first.url},
        follow=True,
    )
    assert message in response.content.decode()
    assert not Enrolment.objects.exists()


def test_guessing_voucher_codes_is_slowed_down(client, learner):
    for _attempt in range(10):
        client.post("/stream/voucher/", {"code": "ABCD-EFGH", "next": "/"})
    response = client.post("/stream/voucher/", {"code": "ABCD-EFGH", "next": "/"}, follow=True)
    assert "Te veel pogingen" in response.content.decode()


def test_guessing_from_many_accounts_at_one_address_is_slowed_down(client):
    """Fresh accounts each get their own ten tries, but the address they share does not."""
    for _account in range(6):
        client.force_login(learner_with_profile())
        for _attempt in range(10):
            client.post("/stream/voucher/", {"code": "ABCD-EFGH", "next": "/"})
    client.force_login(learner_with_profile())
    response = client.post("/stream/voucher/", {"code": "ABCD-EFGH", "next": "/"}, follow=True)
    assert "Te veel pogingen" in response.content.decode()
    # Another address is not held back by this one.
    response = client.post(
        "/stream/voucher/", {"code": "ABCD-EFGH", "next": "/"}, REMOTE_ADDR="10.0.0.9", follow=True
    )
    assert "Te veel pogingen" not in response.content.decode()


def test_voucher_codes_are_read_as_typed():
    assert voucher_code_normalise(" abcd efgh-jkmn ") == "ABCD-EFGH-JKMN"
    assert voucher_code_normalise("<script>") == "SCRIPT"


def test_nested_playlists_outlive_the_master_token_but_not_the_lecture(client, learner, settings):
    """A change of quality mid-lecture fetches another media playlist long after the page
    loaded; its URL lives as long as the segments, the master URL only briefly."""
    from playback.delivery import master_url

    video = _video()
    prefix = f"videos/{video.uuid}/hls/1"
    storage = storages["videos"]
    storage.save(
        f"{prefix}/master.m3u8",
        ContentFile(b"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n360p/index.m3u8\n"),
    )
    storage.save(
        f"{prefix}/360p/index.m3u8", ContentFile(b"#EXTM3U\n#EXTINF:6,\nseg0.m4s\n#EXT-X-ENDLIST\n")
    )
    # Signatures carry whole seconds: a 1-s life could end before a busy machine's first fetch.
    settings.PLAYBACK_URL_TTL_SECONDS = 2
    master = client.get(master_url(video=video, user=learner))
    assert master.status_code == 200
    nested = master.text.splitlines()[-1]
    time.sleep(3.1)
    assert client.get(master_url(video=video, user=learner)).status_code == 200  # a fresh one
    assert client.get(master.request["PATH_INFO"]).status_code == 403  # the copied one
    assert client.get(nested).status_code == 200


def test_seek_thumbnails_come_with_signed_sprite_urls(client, learner, settings):
    from playback.delivery import thumbnails_url

    video = _video()
    prefix = f"videos/{video.uuid}/hls/1/thumbnails"
    storage = storages["videos"]
    storage.save(f"{prefix}/sprite.jpg", ContentFile(b"\xff\xd8\xff\xe0 not really"))
    storage.save(
        f"{prefix}/index.vtt",
        ContentFile(b"WEBVTT\n\n00:00:00.000 --> 00:00:06.000\nsprite.jpg#xywh=0,0,160,90\n"),
    )
    response = client.get(thumbnails_url(video=video, user=learner, ttl=60))
    assert response.status_code == 200 and response["Content-Type"] == "text/vtt"
    cue = response.text.splitlines()[3]
    sprite_url, _hash, fragment = cue.partition("#xywh=")
    assert fragment == "0,0,160,90"
    if settings.AWS_STORAGE_BUCKET_NAME:
        assert "X-Amz-Expires=" in sprite_url and "thumbnails/sprite.jpg" in sprite_url
    else:
        assert client.get(sprite_url).status_code == 200
    client.force_login(learner_with_profile())
    assert client.get(thumbnails_url(video=video, user=learner, ttl=60)).status_code == 403


def test_play_all_starts_at_the_first_unwatched_episode_and_follows_the_path(client, learner):
    wound = _course()
    ultrasound = _course(title="Echo", episodes=("Probe", "Beeld"))
    path = path_services.path_create(owner=learner, title="Mijn nachtdienst")
    path_services.path_item_add(path=path, actor=learner, course_id=wound.pk)
    echo_last = _episodes(ultrasound)[-1]
    path_services.path_item_add(
        path=path, actor=learner, course_id=ultrasound.pk, episode_id=echo_last.pk
    )
    first, second, third = _episodes(wound)
    progress_record(user=learner, course=wound, episode=first, share=1.0)

    response = client.get(f"/leerpaden/{path.pk}/afspelen/")
    assert response.status_code == 302 and response["Location"] == f"{second.url}?leerpad={path.pk}"
    assert _config(client.get(f"{third.url}?leerpad={path.pk}"))["next"] == {
        "url": f"{echo_last.url}?leerpad={path.pk}",
        "title": "Beeld",
    }
    assert _config(client.get(f"{echo_last.url}?leerpad={path.pk}"))["next"] is None
    # Someone else's private path gives no "next": the page plays on its own.
    client.force_login(learner_with_profile())
    assert client.get(f"/leerpaden/{path.pk}/afspelen/").status_code == 404
    assert _config(client.get(f"{third.url}?leerpad={path.pk}"))["next"] is None


def test_play_all_skips_the_courses_the_learner_has_no_access_to_and_says_so(client, learner):
    paid = _course(title="Echografie", episodes=("Probe",), price=Decimal("95"))
    free = _course(title="Wondzorg", episodes=("Risico",))
    path = path_services.path_create(owner=learner, title="Mijn nachtdienst")
    for course in (paid, free):
        path_services.path_item_add(path=path, actor=learner, course_id=course.pk)

    response = client.get(f"/leerpaden/{path.pk}/afspelen/", follow=True)
    assert response.redirect_chain[0][0] == f"{_episodes(free)[0].url}?leerpad={path.pk}"
    assert "1 cursus overgeslagen: geen toegang." in response.content.decode()
    assert _config(response)["next"] is None  # the paid course does not come next either

    # With nothing left to play, the learner stays on the path, told why.
    path_services.path_item_remove(path=path, item_id=path.items.get(course_id=free.pk).pk)
    html = client.get(f"/leerpaden/{path.pk}/afspelen/", follow=True).content.decode()
    assert "1 cursus overgeslagen: geen toegang." in html and "Mijn nachtdienst" in html


def test_a_copied_segment_url_stops_working_after_it_expires(client, learner, settings):
    """Local storage: Django-signed segment URLs. (With S3 the bucket checks the presigned
    expiry; the S3 API server used in the tests does not, so there the URL shape is checked.)"""
    from playback.delivery import segment_url

    name = "videos/0f0e/hls/1/360p/seg0.m4s"
    storages["videos"].save(name, ContentFile(b"\x00" * 2048))
    url = segment_url(name=name, ttl=2)  # whole seconds: 1 could end before the first fetch
    if settings.AWS_STORAGE_BUCKET_NAME:
        assert "X-Amz-Expires=2&" in url or url.endswith("X-Amz-Expires=2")
        return
    assert client.get(url).status_code == 200
    time.sleep(3.1)
    assert client.get(url).status_code == 403
