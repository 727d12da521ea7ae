"""The speed and subtitles a learner chose follow them to every device: the player posts each
choice, and every episode page hands it back."""

import json

import pytest
from django.test import Client

from playback.models import PlaybackPreference
from tests.factories import learner_with_profile

from .test_player import _config, _course, _episodes
from .test_player import learner as learner  # the fixture: a signed-in learner

pytestmark = pytest.mark.django_db

URL = "/stream/afspelen/voorkeuren/"


def _post(client, body):
    return client.post(URL, json.dumps(body), "application/json")


def test_a_chosen_speed_and_subtitles_come_back_on_another_device(client, learner):
    first = _episodes(_course())[0]
    assert _config(client.get(first.url))["preferences"] == {"speed": None, "captions": None}

    assert _post(client, {"speed": 1.5}).status_code == 204
    assert _post(client, {"captions": "nl"}).status_code == 204

    phone = Client()
    phone.force_login(learner)
    config = _config(phone.get(first.url))
    assert config["preferences"] == {"speed": 1.5, "captions": "nl"}
    assert config["preferenceUrl"] == URL

    assert _post(client, {"captions": ""}).status_code == 204  # subtitles off, chosen
    assert _config(phone.get(first.url))["preferences"] == {"speed": 1.5, "captions": ""}
    assert PlaybackPreference.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"speed": 3}, "Deze afspeelsnelheid is niet beschikbaar."),
        ({"speed": "1.5"}, "Deze afspeelsnelheid is niet beschikbaar."),
        ({"speed": True}, "Deze afspeelsnelheid is niet beschikbaar."),
        ({"captions": "xx"}, "Ondertiteling in deze taal is er niet."),
        ({"captions": None}, "Ondertiteling in deze taal is er niet."),
        ({}, "Geef aan welke snelheid of ondertiteling gekozen is."),
        ([1.5], "Geef aan welke snelheid of ondertiteling gekozen is."),
    ],
    ids=["too-fast", "text", "boolean", "unknown-language", "null-language", "empty", "list"],
)
def test_a_choice_the_player_does_not_offer_is_refused_in_dutch(client, learner, body, reason):
    response = _post(client, body)
    assert response.status_code == 400
    assert response.json()["reason"] == reason
    assert not PlaybackPreference.objects.exists()


def test_broken_or_oversized_bodies_and_visitors_are_refused(client):
    assert _post(client, {"speed": 2}).status_code == 403
    client.force_login(learner_with_profile())
    broken = client.post(URL, b"{speed", "application/json")
    assert broken.status_code == 400
    assert broken.json()["reason"] == "Het verzoek is geen geldige JSON."
    large = client.post(URL, json.dumps({"speed": 2, "pad": "x" * 2000}), "application/json")
    assert large.status_code == 400
    assert client.get(URL).status_code == 405


def test_a_choice_needs_the_page_s_csrf_token(learner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    assert browser.post(URL, json.dumps({"speed": 2}), "application/json").status_code == 403
    assert not PlaybackPreference.objects.exists()
