"""Finishing a course is a moment: the end-test result that completes it, and the course page
after, say so with the points awarded per register, the certificate and what to watch next."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from accreditation.models import LedgerEntry
from catalog.models import CoursePage, EpisodePage
from playback.models import CourseCompletion, Video
from playlists.models import LearningPath, PathItem
from tests.factories import (
    course_publish,
    end_test_hand_in,
    end_test_publish,
    learner_with_profile,
    progress_record,
)

pytestmark = pytest.mark.django_db

QUESTION = ("Wat doe je eerst?", [("Handen wassen", True), ("Niets", False)], "")


@pytest.fixture
def course():
    """Two required episodes with a ready video; the last has an end test. Accredited for
    3 points in the V&VN register."""
    course = course_publish(
        title="Handhygiëne",
        episodes=["Vijf momenten", "In de praktijk"],
        accreditations=[("venvn", 3, date(2099, 12, 31))],
        tags={"topics": ["infectiepreventie"]},
    )
    video = Video.objects.create(
        title="College", state=Video.State.READY, duration=600.0, published_generation=1
    )
    for episode in EpisodePage.objects.child_of(course):
        episode.video = video
        episode.save_revision().publish()
    end_test_publish(episode=EpisodePage.objects.child_of(course).last(), questions=[QUESTION])
    return CoursePage.objects.get(pk=course.pk)


def _finish(client, learner, course, capture):
    """Watch both episodes and pass the test; returns the result page."""
    episodes = list(EpisodePage.objects.child_of(course).order_by("path"))
    for episode in episodes:
        progress_record(user=learner, course=course, episode=episode, share=1.0)
    with capture(execute=True):
        handed_in = end_test_hand_in(client, learner, episodes[-1])
    return client.get(handed_in["Location"])


def _moment(response) -> str:
    found = re.search(r"<section class=\"course-complete\".*?</section>", response.text, re.S)
    return found[0] if found else ""


def test_the_result_that_completes_the_course_shows_points_certificate_and_next(
    client, course, django_capture_on_commit_callbacks
):
    related = course_publish(title="Isolatie", tags={"topics": ["infectiepreventie"]})
    learner = learner_with_profile()
    client.force_login(learner)
    moment = _moment(_finish(client, learner, course, django_capture_on_commit_callbacks))
    assert "Cursus afgerond!" in moment
    assert "+3 punten V&amp;VN Kwaliteitsregister" in moment
    certificate = re.search(r'href="([^"]+\.pdf)" data-certificate-link', moment)[1]
    pdf = client.get(certificate)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert f'href="{related.url}" data-watch-next' in moment
    # The course page says the same, with its button to watch again.
    page = client.get(course.url)
    assert "+3 punten V&amp;VN Kwaliteitsregister" in _moment(page)
    assert 'data-course-play="again"' in page.text


def test_what_comes_next_is_the_next_course_in_the_learners_path(
    client, course, django_capture_on_commit_callbacks
):
    learner = learner_with_profile()
    following = course_publish(title="Wondzorg")
    path = LearningPath.objects.create(owner=learner, title="Mijn scholingsjaar")
    PathItem.objects.create(path=path, course=course, rank=1000)
    PathItem.objects.create(path=path, course=following, rank=2000)
    client.force_login(learner)
    moment = _moment(_finish(client, learner, course, django_capture_on_commit_callbacks))
    assert f'href="{following.url}" data-watch-next' in moment
    assert "Volgende in je leerpad “Mijn scholingsjaar”." in moment


def test_a_learner_without_a_name_is_asked_for_it_to_get_the_certificate(
    client, course, django_capture_on_commit_callbacks
):
    learner = learner_with_profile()
    learner.first_name = ""
    learner.save()
    client.force_login(learner)
    moment = _moment(_finish(client, learner, course, django_capture_on_commit_callbacks))
    assert "data-certificate-link" not in moment
    assert "Vul je naam in voor je certificaat" in moment


def test_a_result_that_does_not_complete_the_course_is_no_moment(
    client, course, django_capture_on_commit_callbacks
):
    learner = learner_with_profile()
    client.force_login(learner)
    last = EpisodePage.objects.child_of(course).order_by("path").last()
    with django_capture_on_commit_callbacks(execute=True):
        handed_in = end_test_hand_in(client, learner, last)
    assert _moment(client.get(handed_in["Location"])) == ""
    assert _moment(client.get(course.url)) == ""


def test_the_player_asks_whether_the_course_is_complete_and_only_its_learner_is_told(
    client, course, django_capture_on_commit_callbacks
):
    learner, other = learner_with_profile(), learner_with_profile()
    url = f"/cursussen/{course.pk}/afgerond/"
    episode = EpisodePage.objects.child_of(course).first()
    client.force_login(learner)
    assert f'data-completion-url="{url}"' in client.get(episode.url).text
    assert client.get(url).json() == {"completed_now": False}

    _finish(client, learner, course, django_capture_on_commit_callbacks)
    answer = client.get(url).json()
    assert answer["completed_now"] is True
    assert "+3 punten V&amp;VN Kwaliteitsregister" in answer["html"]
    # A completion from before is not celebrated again when another episode ends.
    CourseCompletion.objects.filter(user=learner).update(
        completed_at=timezone.now() - timedelta(hours=1)
    )
    assert client.get(url).json() == {"completed_now": False}

    client.force_login(other)
    assert client.get(url).json() == {"completed_now": False}
    client.logout()
    assert client.get(url).status_code == 302


def test_the_player_asking_while_the_completing_request_still_awards_sees_the_points(
    client, course, django_capture_on_commit_callbacks
):
    """The completing heartbeat reports the completion after its commit; the player may ask in
    between. Its answer carries the points and the certificate all the same, awarded once."""
    learner = learner_with_profile()
    client.force_login(learner)
    episodes = list(EpisodePage.objects.child_of(course).order_by("path"))
    for episode in episodes:
        progress_record(user=learner, course=course, episode=episode, share=1.0)
    with django_capture_on_commit_callbacks(execute=False) as handed_in:
        end_test_hand_in(client, learner, episodes[-1])
    with django_capture_on_commit_callbacks(execute=False) as reports:
        for callback in handed_in:  # the result's own work after its commit: the completion
            callback()
    CourseCompletion.objects.get(user=learner)  # stored, and not yet reported
    assert not LedgerEntry.objects.filter(user=learner).exists()

    answer = client.get(f"/cursussen/{course.pk}/afgerond/").json()
    assert answer["completed_now"] is True
    assert "+3 punten V&amp;VN Kwaliteitsregister" in answer["html"]
    assert "data-certificate-link" in answer["html"]
    for report in reports:  # the completing request's own report, arriving late
        report()
    assert LedgerEntry.objects.filter(user=learner).count() == 1
