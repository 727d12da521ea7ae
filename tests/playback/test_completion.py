"""Course completion: required episodes watched and end tests passed, recorded and reported
once to accreditation."""

import json
import threading
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from accreditation import api as accreditation_api
from catalog.api import end_test_get
from catalog.models import CoursePage
from playback.api import course_completion_get, course_ids_completed
from playback.models import CourseCompletion, PlaybackSession, TestAttempt, Video
from playback.services.completion import course_completion_check
from tests.factories import (
    course_publish,
    end_test_hand_in,
    end_test_publish,
    learner_with_profile,
    progress_record,
)

QUESTIONS = [
    ("Wanneer desinfecteer je je handen?", [("Voor patiëntcontact", True), ("Nooit", False)], ""),
    ("Hoe lang duurt handen wassen?", [("40 tot 60 seconden", True), ("5 seconden", False)], ""),
]


@pytest.fixture
def reports(monkeypatch):
    """What accreditation is told: the one channel a completion takes out of playback."""
    calls = {"accreditation": []}

    def spy(**kwargs):
        calls["accreditation"].append(kwargs)

    monkeypatch.setattr(accreditation_api, "course_completed", spy)
    return calls


@pytest.fixture(scope="module")
def _course_id(module_rows):
    """Three episodes: two required (the second with an end test), one optional with a test;
    made once for this module."""

    def create():
        course = course_publish(
            title="Infectiepreventie", episodes=["Handhygiëne", "Isolatie", "Verdieping"]
        )
        _intro, isolation, extra = course.get_children().specific()
        end_test_publish(episode=isolation, questions=QUESTIONS)
        end_test_publish(episode=extra, questions=QUESTIONS, required=False)
        return course.pk

    return module_rows(create)


@pytest.fixture
def course(_course_id):
    return CoursePage.objects.get(pk=_course_id)


def _episodes(course):
    return list(course.get_children().specific())


def _watch(learner, course, episode):
    return progress_record(user=learner, course=course, episode=episode, share=1)


def _pass(learner, course, episode, *, passed: bool = True):
    test = end_test_get(episode_id=episode.pk)
    return TestAttempt.objects.create(
        user=learner,
        episode=episode,
        course=course,
        question_ids=[q.id for q in test.questions],
        option_orders={str(q.id): [o.id for o in q.options] for q in test.questions},
        score_percent=100 if passed else 0,
        pass_mark_percent=70,
        passed=passed,
        started_at=timezone.now(),
        submitted_at=timezone.now(),
    )


def _check(learner, course, capture):
    with capture(execute=True):
        return course_completion_check(user_id=learner.pk, course_id=course.pk)


@pytest.mark.django_db
def test_a_course_is_complete_when_required_episodes_are_watched_and_their_tests_passed(
    course, reports, django_capture_on_commit_callbacks
):
    learner = learner_with_profile()
    intro, isolation, _extra = _episodes(course)
    _watch(learner, course, intro)
    assert _check(learner, course, django_capture_on_commit_callbacks) is None
    _watch(learner, course, isolation)
    _pass(learner, course, isolation, passed=False)
    assert _check(learner, course, django_capture_on_commit_callbacks) is None
    assert reports["accreditation"] == []
    _pass(learner, course, isolation)
    # The optional episode is neither watched nor tested, and does not block.
    completion = _check(learner, course, django_capture_on_commit_callbacks)
    assert completion is not None
    expected = {
        "user_id": learner.pk,
        "course_id": course.pk,
        "completed_at": completion.completed_at,
    }
    assert reports["accreditation"] == [expected]
    assert list(course_ids_completed(user_id=learner.pk)) == [course.pk]
    found = course_completion_get(user_id=learner.pk, course_id=course.pk)
    assert found.completed_at == completion.completed_at
    assert course_completion_get(user_id=learner.pk + 1000, course_id=course.pk) is None


@pytest.mark.django_db
def test_an_unpublished_required_episode_does_not_block(
    course, reports, django_capture_on_commit_callbacks
):
    learner = learner_with_profile()
    intro, isolation, _extra = _episodes(course)
    _watch(learner, course, intro)
    isolation.unpublish()
    assert _check(learner, course, django_capture_on_commit_callbacks) is not None
    assert len(reports["accreditation"]) == 1


@pytest.mark.django_db
def test_completion_is_reported_once_however_often_it_is_checked(
    course, reports, django_capture_on_commit_callbacks
):
    learner = learner_with_profile()
    intro, isolation, _extra = _episodes(course)
    _watch(learner, course, intro)
    _watch(learner, course, isolation)
    _pass(learner, course, isolation)
    _pass(learner, course, isolation)
    with django_capture_on_commit_callbacks(execute=True):
        for _round in range(3):
            course_completion_check(user_id=learner.pk, course_id=course.pk)
    assert CourseCompletion.objects.filter(user=learner, course=course).count() == 1
    assert len(reports["accreditation"]) == 1


# --- Through the learner's own actions --------------------------------------------------------


@pytest.fixture
def playable(course):
    """The course's required episodes with a ready 10-minute video each."""
    video = Video.objects.create(
        title="College", state=Video.State.READY, duration=600.0, published_generation=1
    )
    intro, isolation, _extra = _episodes(course)
    for episode in (intro, isolation):
        episode.video = video
        episode.save_revision().publish()
    return intro, isolation


def _watch_through_the_player(client, episode):
    response = client.post(
        "/stream/afspelen/sessies/", json.dumps({"episode": episode.pk}), "application/json"
    )
    session = response.json()["session"]
    PlaybackSession.objects.filter(pk=session).update(
        started_at=timezone.now() - timedelta(seconds=600)
    )
    beat = {"session": session, "seq": 1, "position": 600, "ranges": [[0, 600]]}
    response = client.post("/stream/afspelen/voortgang/", json.dumps(beat), "application/json")
    assert response.status_code == 204


_hand_in = end_test_hand_in


@pytest.mark.django_db
def test_watching_the_last_episode_completes_the_course(
    client, course, playable, reports, django_capture_on_commit_callbacks
):
    learner = learner_with_profile()
    client.force_login(learner)
    intro, isolation = playable
    with django_capture_on_commit_callbacks(execute=True):
        _watch_through_the_player(client, isolation)
        _hand_in(client, learner, isolation)
    assert reports["accreditation"] == []
    with django_capture_on_commit_callbacks(execute=True):
        _watch_through_the_player(client, intro)
    assert len(reports["accreditation"]) == 1
    assert course_completion_get(user_id=learner.pk, course_id=course.pk) is not None


@pytest.mark.django_db
def test_passing_the_test_completes_the_course_and_the_result_says_so(
    client, course, playable, reports, django_capture_on_commit_callbacks
):
    learner = learner_with_profile()
    client.force_login(learner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    intro, isolation = playable
    with django_capture_on_commit_callbacks(execute=True):
        _watch_through_the_player(client, intro)
        _watch_through_the_player(client, isolation)
        failed = _hand_in(client, learner, isolation, right=False)
    assert reports["accreditation"] == []
    assert "completed this course" not in client.get(failed["Location"]).content.decode()
    # A day later: a failed attempt is followed by a wait before the retake.
    TestAttempt.objects.filter(user=learner).update(
        submitted_at=timezone.now() - timedelta(hours=24)
    )
    with django_capture_on_commit_callbacks(execute=True):
        passed = _hand_in(client, learner, isolation)
    assert len(reports["accreditation"]) == 1
    assert "data-course-complete" in client.get(passed["Location"]).content.decode()


@pytest.mark.django_db
def test_an_episode_completion_and_a_test_pass_arriving_together_report_once(
    client, course, playable, reports, django_capture_on_commit_callbacks
):
    learner = learner_with_profile()
    client.force_login(learner)
    intro, isolation = playable
    _watch(learner, course, intro)
    with django_capture_on_commit_callbacks(execute=True):
        _watch_through_the_player(client, isolation)
        _hand_in(client, learner, isolation)
    assert CourseCompletion.objects.filter(user=learner, course=course).count() == 1
    assert len(reports["accreditation"]) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_checks_create_and_report_one_completion(migrated_data, reports):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; concurrency is exercised on PostgreSQL")
    course = course_publish(title="Reanimatie", episodes=["Basis"])
    learner = learner_with_profile()
    progress_record(user=learner, course=course, share=1)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def check():
        try:
            barrier.wait(timeout=10)
            results.append(course_completion_check(user_id=learner.pk, course_id=course.pk))
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=check) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len({completion.pk for completion in results}) == 1
    assert CourseCompletion.objects.filter(user=learner, course=course).count() == 1
    assert len(reports["accreditation"]) == 1


@pytest.mark.django_db
def test_the_accreditation_app_takes_the_report(django_capture_on_commit_callbacks, caplog):
    from accreditation.models import LedgerEntry

    course = course_publish(
        title="Wondzorg", episodes=["Basis"], accreditations=[("venvn", 2, date(2099, 12, 31))]
    )
    learner = learner_with_profile()  # registered with V&VN
    progress_record(user=learner, course=course, share=1)
    with caplog.at_level("ERROR"):
        completion = _check(learner, course, django_capture_on_commit_callbacks)
        _check(learner, course, django_capture_on_commit_callbacks)
    assert completion is not None
    assert not [record for record in caplog.records if record.levelname == "ERROR"]
    awards = LedgerEntry.objects.filter(user=learner, course_id=course.pk)
    assert awards.count() == 1
    accreditation_api.course_completed(
        user_id=learner.pk, course_id=course.pk, completed_at=completion.completed_at
    )
    assert awards.count() == 1


@pytest.mark.django_db
def test_stored_completions_are_reported_again_once_accreditation_takes_them(
    django_capture_on_commit_callbacks, monkeypatch
):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from accreditation.models import Certificate, LedgerEntry

    course = course_publish(
        title="Wondzorg", episodes=["Basis"], accreditations=[("venvn", 2, date(2099, 12, 31))]
    )
    learner = learner_with_profile()
    progress_record(user=learner, course=course, share=1)

    def unavailable(**kwargs):
        raise RuntimeError("accreditation is unavailable")

    monkeypatch.setattr(accreditation_api, "course_completed", unavailable)
    completion = _check(learner, course, django_capture_on_commit_callbacks)
    assert completion is not None  # stored, although the report failed
    assert not LedgerEntry.objects.filter(user=learner).exists()
    with pytest.raises(CommandError, match=f"completion ids {completion.pk}"):
        call_command("completions_report", stdout=StringIO())

    monkeypatch.undo()
    output = StringIO()
    call_command("completions_report", stdout=output)
    call_command("completions_report", stdout=output)
    assert output.getvalue().count("1 completion(s) reported") == 2
    assert LedgerEntry.objects.filter(user=learner, course_id=course.pk).count() == 1
    assert Certificate.objects.filter(user=learner, course_id=course.pk).count() == 1

    later = (timezone.localdate(completion.completed_at) + timedelta(days=1)).isoformat()
    call_command("completions_report", since=date.fromisoformat(later), stdout=output)
    assert "0 completion(s) reported" in output.getvalue()
    with pytest.raises(CommandError, match="not a date"):
        call_command("completions_report", "--since", "31-01-2026", stdout=output)
