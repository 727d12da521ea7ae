"""The course page as a learner meets it: one button that plays, continues where they left off
or starts again; what completing takes, from the course's own rules; the points in their own
registers; and for a paid course, how to get in instead of a dead end."""

import html
import re
from datetime import date
from urllib.parse import quote

import pytest

from catalog.models import CoursePage, CourseSpeaker, EpisodePage, Provider, Speaker
from playback.models import Video, Voucher
from tests.factories import (
    course_publish,
    end_test_hand_in,
    end_test_publish,
    learner_with_profile,
    progress_record,
)

pytestmark = pytest.mark.django_db

QUESTION = ("Wat doe je eerst?", [("Handen wassen", True), ("Niets", False)], "")


def _course(**fields) -> CoursePage:
    """Three episodes with a ready video each; the second is optional."""
    fields.setdefault("accreditations", [("venvn", 3, date(2099, 12, 31))])
    course = course_publish(
        title="Wondzorg", episodes=["Risico", "Verdieping", "Verbanden"], **fields
    )
    video = Video.objects.create(
        title="College", state=Video.State.READY, duration=600.0, published_generation=1
    )
    for episode in EpisodePage.objects.child_of(course):
        episode.video = video
        episode.required = episode.title != "Verdieping"
        episode.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)


def _episodes(course) -> list[EpisodePage]:
    return list(EpisodePage.objects.child_of(course).order_by("path"))


def _button(response) -> tuple[str, str, str]:
    """The main button's kind, link and words, and the line under it."""
    text = response.content.decode()
    kind = re.search(r'data-course-play="([a-z_]+)"', text)[1]
    href, words = re.search(
        r'<a class="button course-play__button" href="([^"]+)" '
        r"data-play-button>(.*?)</a>",
        text,
        re.S,
    ).groups()
    detail = re.search(r'<p class="course-play__detail">(.*?)</p>', text, re.S)[1]
    clean = lambda markup: " ".join(re.sub(r"<[^>]+>", " ", markup).split())  # noqa: E731
    return kind, href.replace("&amp;", "&"), clean(words) + " | " + clean(detail)


def test_a_new_learner_plays_the_first_episode(client):
    course = _course()
    client.force_login(learner_with_profile())
    kind, href, words = _button(client.get(course.url))
    assert (kind, href) == ("start", _episodes(course)[0].url)
    assert words.startswith("▶ Afspelen | Risico")


def test_continue_goes_back_to_where_the_learner_left_off(client):
    course = _course()
    first, _optional, third = _episodes(course)
    learner = learner_with_profile()
    progress_record(user=learner, course=course, episode=first, share=1.0, hours_ago=3)
    halfway = progress_record(user=learner, course=course, episode=third, share=0.2)
    halfway.position = 135
    halfway.save()
    client.force_login(learner)
    kind, href, words = _button(client.get(course.url))
    assert (kind, href) == ("continue", f"{third.url}?t=135")
    assert words == "▶ Verder kijken | Verbanden, vanaf 2:15"


def test_continue_without_a_half_watched_episode_is_the_first_unwatched_required_one(client):
    course = _course()
    first, _optional, third = _episodes(course)
    learner = learner_with_profile()
    progress_record(user=learner, course=course, episode=first, share=1.0)
    client.force_login(learner)
    kind, href, _words = _button(client.get(course.url))
    assert (kind, href) == ("continue", third.url)


def _watched_up_to_the_end_test(client):
    """A course whose required episodes a signed-in learner has watched; its test is left."""
    course = _course()
    first, _optional, third = _episodes(course)
    end_test_publish(episode=third, questions=[QUESTION], pass_mark_percent=75)
    learner = learner_with_profile()
    for episode in (first, third):
        progress_record(user=learner, course=course, episode=episode, share=1.0)
    client.force_login(learner)
    return course, learner, first, third


def test_a_pending_end_test_and_a_completed_course(client, django_capture_on_commit_callbacks):
    course, learner, first, third = _watched_up_to_the_end_test(client)
    response = client.get(course.url)
    kind, href, _words = _button(response)
    assert (kind, href) == ("test", f"/stream/toets/{third.pk}/")
    # Watched, but not yet counting: no ✓ until the test is passed.
    items = re.findall(r'<li class="episode-list__item[^"]*"[^>]*>(.*?)</li>', response.text, re.S)
    assert "✓" in items[0] and "✓" not in items[2]
    assert "de eindtoets moet je nog halen" in items[2]

    with django_capture_on_commit_callbacks(execute=True):
        end_test_hand_in(client, learner, third)
    response = client.get(course.url)
    kind, href, words = _button(response)
    assert (kind, href) == ("again", first.url)
    assert words.startswith("↺ Opnieuw bekijken")
    assert "data-course-complete" in response.text


def test_a_visitor_is_sent_to_sign_in_and_back(client):
    course = _course()
    response = client.get(course.url)
    kind, href, words = _button(response)
    assert (kind, href) == ("sign_in", f"/accounts/login/?next={quote(course.url, safe='')}")
    assert "Nog geen account? Meld je gratis aan" in words
    assert f'href="/accounts/signup/?next={quote(course.url, safe="")}"' in response.text


def test_what_completing_takes_is_read_from_the_course(client):
    course = _course(completion_percent=80)
    end_test_publish(episode=_episodes(course)[2], questions=[QUESTION], pass_mark_percent=75)
    text = client.get(course.url).text
    rules = re.search(r"<ul data-completion-rules>(.*?)</ul>", text, re.S)[1]
    assert "Bekijk minstens 80% van elk van de 2 verplichte afleveringen." in rules
    assert "1 aflevering is optioneel." in rules
    assert "Haal de eindtoets van “Verbanden” met minstens 75%." in rules


def _points_table(response) -> list[list[str]]:
    table = re.search(r"<table[^>]*data-points-table>(.*?)</table>", response.text, re.S)[1]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]
    return [
        [
            html.unescape(" ".join(re.sub(r"<[^>]+>", " ", cell).split()))
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def test_the_points_are_those_of_the_learners_registers(client):
    course = _course(
        accreditations=[("venvn", 3, date(2099, 12, 31)), ("rgs-huisarts", 2, date(2099, 12, 31))]
    )
    client.force_login(learner_with_profile())  # in the V&VN register
    response = client.get(course.url)
    assert "Jouw punten" in response.text
    assert _points_table(response) == [
        ["V&VN Kwaliteitsregister", "3", "Geaccrediteerde nascholing Activiteit T-venvn"]
    ]
    client.logout()
    visitor = _points_table(client.get(course.url))
    assert [row[0] for row in visitor] == ["RGS huisartsen", "V&VN Kwaliteitsregister"]


def test_a_learner_is_told_when_the_course_earns_nothing_in_their_register(client):
    course = _course(accreditations=[("rgs-huisarts", 2, date(2099, 12, 31))])
    client.force_login(learner_with_profile())
    assert _points_table(client.get(course.url)) == [
        ["V&VN Kwaliteitsregister", "Niet geaccrediteerd voor dit register"]
    ]


def test_in_english_the_points_name_the_registers_and_categories_in_english(client):
    course = _course(
        accreditations=[("venvn", 3, date(2099, 12, 31)), ("rgs-huisarts", 2, date(2099, 12, 31))]
    )
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert [row[:2] for row in _points_table(client.get(course.url))] == [
        ["RGS general practitioners", "2"],
        ["V&VN Quality Register", "3"],
    ]
    client.force_login(learner_with_profile())
    assert _points_table(client.get(course.url)) == [
        ["V&VN Quality Register", "3", "Accredited training Activity T-venvn"]
    ]


def test_in_english_a_register_the_course_earns_nothing_in_is_named_in_english(client):
    course = _course(accreditations=[("rgs-huisarts", 2, date(2099, 12, 31))])
    client.force_login(learner_with_profile())
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert _points_table(client.get(course.url)) == [
        ["V&VN Quality Register", "Not accredited for this register"]
    ]


def test_in_english_the_completion_moment_names_the_register_in_english(
    client, django_capture_on_commit_callbacks
):
    course, learner, _first, third = _watched_up_to_the_end_test(client)
    with django_capture_on_commit_callbacks(execute=True):
        end_test_hand_in(client, learner, third)
    assert "+3 punten V&amp;VN Kwaliteitsregister" in client.get(course.url).text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(course.url).text
    assert "data-course-complete" in page
    assert "+3 points V&amp;VN Quality Register" in page


def test_a_paid_course_shows_how_to_get_access_and_a_voucher_opens_it(client):
    provider = Provider.objects.create(name="Wondacademie", website="https://wond.example")
    course = _course(price=95, provider=provider)
    voucher = Voucher.objects.create(course=course, code="SAMEN-BESLISSEN", max_uses=5)
    learner = learner_with_profile()
    client.force_login(learner)
    response = client.get(course.url)
    kind, href, _words = _button(response)
    assert (kind, href) == ("access", "#toegang")
    access = re.search(
        r'<section class="panel course-access" id="toegang".*?</section>', response.text, re.S
    )[0]
    assert 'action="/stream/voucher/"' in access
    assert f'name="next" value="{course.url}"' in access
    assert "Vraag je werkgever" in access and 'href="https://wond.example"' in access

    redeemed = client.post("/stream/voucher/", {"code": voucher.code.lower(), "next": course.url})
    assert redeemed["Location"] == course.url
    response = client.get(course.url)
    assert _button(response)[0] == "start"
    assert 'id="toegang"' not in response.text


def test_watched_is_the_share_played_not_the_playhead(client):
    course = _course()
    first = _episodes(course)[0]
    learner = learner_with_profile()
    skipped = progress_record(user=learner, course=course, episode=first, share=0.1)
    skipped.position = 590  # sought to the end after a minute of watching
    skipped.save()
    client.force_login(learner)
    text = client.get(course.url).text
    assert "10% bekeken" in text and "98% bekeken" not in text


def test_speakers_and_related_courses(client):
    course = _course(tags={"topics": ["wondzorg"]})
    other = course_publish(title="Decubitus bij ouderen", tags={"topics": ["wondzorg"]})
    course_publish(title="Reanimatie", tags={"topics": ["spoed"]})
    speaker = Speaker.objects.create(
        name="Inge de Wit", role="Wondconsulent", bio="Twintig jaar wondzorg in de wijk."
    )
    course.speakers = [CourseSpeaker(speaker=speaker)]
    course.save_revision().publish()
    response = client.get(course.url)
    assert "Inge de Wit" in response.text and "Twintig jaar wondzorg" in response.text
    related = re.search(r'<section class="course-related".*?</section>', response.text, re.S)[0]
    assert other.title in related and "Reanimatie" not in related
