"""Search inside what is said: a word spoken in an episode's captions finds the course and links
to the episode at that second, on PostgreSQL (Dutch full text without accents) and on SQLite
(folded text). The suite runs on both; each test checks the path its database takes."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import EpisodePage, SpokenLine
from playback.captions import webvtt_cues
from playback.models import Caption, Video
from tests.factories import course_publish

pytestmark = pytest.mark.django_db

CAPTIONS = """WEBVTT

NOTE written by the editors

1
00:00:01.000 --> 00:00:04.000
Welkom bij deze aflevering over wondzorg.

2
00:04:12.000 --> 00:04:16.500
Bij <v Spreker>patiënten</v> met decubitus
kijk je dagelijks naar de hielen.

3
00:05:00.000 --> 00:05:03.000
Bij patiënten thuis gaat het net zo.
"""


def _video(*, ready: bool = True) -> Video:
    return Video.objects.create(
        title="College",
        state=Video.State.READY if ready else Video.State.TRANSCODING,
        duration=600.0,
        published_generation=1 if ready else None,
    )


def _captions_save(video: Video, text: str, language: str = "nl") -> Caption:
    caption = Caption.objects.filter(video=video, language=language).first() or Caption(
        video=video, language=language
    )
    caption.file.save(f"{language}.vtt", ContentFile(text.encode()), save=False)
    caption.save()
    return caption


@pytest.fixture
def lecture():
    """A published course whose one episode shows a ready video with Dutch captions; the word
    "hielen" is said in it and written nowhere else."""
    course = course_publish(title="Wondzorg in de wijk", episodes=["Risico inschatten"])
    episode = EpisodePage.objects.child_of(course).get()
    video = _video()
    episode.video = video
    episode.save_revision().publish()
    _captions_save(video, CAPTIONS)
    return course, EpisodePage.objects.get(pk=episode.pk), video


def _hits(response) -> list[tuple[str, str]]:
    """The "said in" links on a results page: (href, text)."""
    return [
        (href.replace("&amp;", "&"), re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip())
        for href, text in re.findall(
            r'<a href="([^"]+)" data-spoken-hit[^>]*>(.*?)</a>', response.content.decode(), re.S
        )
    ]


def test_captions_are_parsed_into_cues_with_their_second():
    assert webvtt_cues(CAPTIONS) == [
        (1.0, "Welkom bij deze aflevering over wondzorg."),
        (252.0, "Bij patiënten met decubitus kijk je dagelijks naar de hielen."),
        (300.0, "Bij patiënten thuis gaat het net zo."),
    ]
    assert webvtt_cues("WEBVTT\n\n01:02:03.250 --> 01:02:05.000\nLaat\n") == [(3723.25, "Laat")]


def test_an_unaccented_spoken_word_finds_the_episode_at_its_second(client, lecture):
    course, episode, video = lecture
    lines = SpokenLine.objects.filter(video=video)
    assert lines.count() == 3
    if connection.vendor == "postgresql":
        assert all(line.vector for line in lines) and not any(line.folded for line in lines)
    else:
        assert all(" patienten " in line.folded for line in lines[1:])

    response = client.get("/zoeken/", {"q": "patienten"})
    assert course.title in response.content.decode()
    hits = _hits(response)
    # The first moment the word is said in the episode, as a link to that second.
    assert hits == [
        (
            f"{episode.url}?t=252",
            f"“Bij patiënten met decubitus kijk je dagelijks "
            f"naar de hielen.” {episode.title} op 4:12",
        )
    ]
    assert "<mark>patiënten</mark>" in response.content.decode()


def test_a_word_said_only_in_the_captions_finds_the_course(client, lecture):
    course, episode, _video = lecture
    response = client.get("/zoeken/", {"q": "hielen"})
    assert course.title in response.content.decode()
    assert [href for href, _text in _hits(response)] == [f"{episode.url}?t=252"]


def test_changed_captions_are_indexed_again(client, lecture):
    course, episode, video = lecture
    _captions_save(
        video, "WEBVTT\n\n00:01:05.000 --> 00:01:08.000\nWissel de houding elke twee uur.\n"
    )
    assert list(SpokenLine.objects.filter(video=video).values_list("start", flat=True)) == [65.0]
    assert _hits(client.get("/zoeken/", {"q": "hielen"})) == []
    assert [href for href, _t in _hits(client.get("/zoeken/", {"q": "houding"}))] == [
        f"{episode.url}?t=65"
    ]
    # Saving the same captions again changes nothing; deleting them forgets what was said.
    _captions_save(
        video, "WEBVTT\n\n00:01:05.000 --> 00:01:08.000\nWissel de houding elke twee uur.\n"
    )
    assert SpokenLine.objects.filter(video=video).count() == 1
    Caption.objects.get(video=video).delete()
    assert not SpokenLine.objects.filter(video=video).exists()
    assert course.title not in client.get("/zoeken/", {"q": "houding"}).content.decode()


def test_no_hits_from_unpublished_episodes_or_videos_not_ready(client, lecture):
    course, episode, video = lecture
    Video.objects.filter(pk=video.pk).update(published_generation=None)
    assert _hits(client.get("/zoeken/", {"q": "decubitus"})) == []

    Video.objects.filter(pk=video.pk).update(published_generation=1)
    assert len(_hits(client.get("/zoeken/", {"q": "decubitus"}))) == 1
    episode.unpublish()
    response = client.get("/zoeken/", {"q": "hielen"})
    assert _hits(response) == []
    # Unpublished, its words no longer find the course either.
    assert course.title not in response.content.decode()


def test_captions_saved_before_are_indexed_by_the_seeds_command(lecture):
    _course, _episode, video = lecture
    SpokenLine.objects.all().delete()
    call_command("spoken_lines_index", stdout=io.StringIO())
    assert SpokenLine.objects.filter(video=video).count() == 3
    call_command("spoken_lines_index", stdout=io.StringIO())
    assert SpokenLine.objects.filter(video=video).count() == 3


def test_hits_for_a_page_of_results_take_one_query(client, lecture):
    for number in range(6):
        course = course_publish(title=f"Decubitus deel {number}", episodes=["Les"])
        episode = EpisodePage.objects.child_of(course).get()
        video = _video()
        episode.video = video
        episode.save_revision().publish()
        _captions_save(video, CAPTIONS)
    with CaptureQueriesContext(connection) as seven:
        response = client.get("/zoeken/", {"q": "decubitus"})
    assert len(_hits(response)) == 7
    spoken = [q for q in seven.captured_queries if "catalog_spokenline" in q["sql"]]
    assert len(spoken) == 1
