"""End tests: drawing and shuffling attempts, grading, handing in, retakes, and who may take
them."""

import random
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
from wagtail.users.models import UserProfile

from catalog.api import end_test_get
from catalog.models import CoursePage, EpisodePage, Provider
from playback.api import episode_test_summary
from playback.models import Enrolment, TestAttempt, Video
from playback.services.assessment import attempt_start, attempt_submit
from playback.services.retakes import RetakeRefused, moment_format
from tests.factories import UserFactory, course_publish, end_test_publish, learner_with_profile

pytestmark = pytest.mark.django_db

QUESTIONS = [
    (
        "Wat is de eerste stap bij een brandwond?",
        [("Koelen met lauw water", True), ("Zalf aanbrengen", False), ("Afdekken", False)],
        "Koel eerst twintig minuten met lauw stromend water.",
    ),
    (
        "Welke tekenen wijzen op een wondinfectie?",
        [("Roodheid", True), ("Warmte", True), ("Jeuk", False), ("Korstvorming", False)],
        "Roodheid en warmte zijn klassieke ontstekingstekenen.",
    ),
    (
        "Hoe vaak verschoon je een vochtig wondverband?",
        [("Dagelijks", True), ("Eens per week", False)],
        "",
    ),
]


def _questions(count: int):
    extra = [
        (f"Extra vraag {number}", [("Ja", True), ("Nee", False), ("Misschien", False)], "")
        for number in range(count - len(QUESTIONS))
    ]
    return (QUESTIONS + extra)[:count]


@pytest.fixture(scope="module")
def _course_id(module_rows):
    """The course, made once for this module; its episode gets its end test in each test."""
    return module_rows(lambda: course_publish(title="Wondzorg", episodes=["Brandwonden"]).pk)


@pytest.fixture
def course(_course_id):
    return CoursePage.objects.get(pk=_course_id)


@pytest.fixture
def episode(course):
    return end_test_publish(
        episode=course.get_children().first(), questions=QUESTIONS, pass_mark_percent=60
    )


@pytest.fixture
def learner(client):
    user = learner_with_profile()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return user


def _url(episode) -> str:
    return f"/stream/toets/{episode.pk}/"


def _attempt(learner, episode) -> TestAttempt:
    return TestAttempt.objects.get(user=learner, episode=episode, submitted_at__isnull=True)


def _answers(attempt: TestAttempt, *, right: bool = True, skip=()) -> dict:
    """Form data answering every question of the attempt, all right or all wrong."""
    test = end_test_get(episode_id=attempt.episode_id)
    data = {"attempt": str(attempt.pk)}
    for question_id in attempt.question_ids:
        if question_id in skip:
            continue
        question = test.by_id[question_id]
        picked = [o.id for o in question.options if o.correct == right]
        data[f"question-{question_id}"] = picked if question.multiple or right else picked[:1]
    return data


def _inputs(response) -> list[str]:
    """The answer inputs of a test page, in the order shown."""
    return re.findall(r'name="(question-\d+)" value="([^"]+)"', response.content.decode())


def _take(client, learner, episode, *, right: bool = True) -> TestAttempt:
    client.get(_url(episode))
    attempt = _attempt(learner, episode)
    response = client.post(_url(episode), _answers(attempt, right=right))
    assert response.status_code == 302, response.content
    return TestAttempt.objects.get(pk=attempt.pk)


def _hours_pass(learner, episode, hours: float) -> None:
    """Move the learner's attempts back in time, as if these hours had gone by since."""
    shift = timedelta(hours=hours)
    TestAttempt.objects.filter(user=learner, episode=episode).update(
        started_at=F("started_at") - shift, submitted_at=F("submitted_at") - shift
    )


# --- Drawing ---------------------------------------------------------------------------------


def test_an_attempt_asks_every_question_with_shuffled_questions_and_answers(learner, episode):
    test = end_test_get(episode_id=episode.pk)
    orders, option_orders = set(), set()
    for _round in range(12):
        TestAttempt.objects.all().delete()
        attempt = attempt_start(user=learner, episode_id=episode.pk)
        assert sorted(attempt.question_ids) == sorted(q.id for q in test.questions)
        for question in test.questions:
            shown = attempt.option_orders[str(question.id)]
            assert sorted(shown) == sorted(o.id for o in question.options)
        orders.add(tuple(attempt.question_ids))
        option_orders.add(tuple(attempt.option_orders[str(test.questions[1].id)]))
    assert len(orders) > 1 and len(option_orders) > 1


def test_questions_per_attempt_draws_that_many_from_the_pool(learner, course):
    episode = end_test_publish(
        episode=course.get_children().first(), questions=_questions(6), questions_per_attempt=2
    )
    pool = {q.id for q in end_test_get(episode_id=episode.pk).questions}
    drawn = set()
    for _round in range(15):
        TestAttempt.objects.all().delete()
        attempt = attempt_start(user=learner, episode_id=episode.pk)
        assert len(attempt.question_ids) == len(set(attempt.question_ids)) == 2
        assert set(attempt.question_ids) <= pool
        drawn |= set(attempt.question_ids)
    assert len(drawn) > 2


def test_more_questions_per_attempt_than_questions_is_refused(course):
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        end_test_publish(
            episode=course.get_children().first(), questions=QUESTIONS, questions_per_attempt=4
        )
    assert "has 3 questions" in str(refused.value.message_dict["questions_per_attempt"])


def _episode_form(questions: int, per_attempt: int, **overrides) -> dict:
    rows = [
        {
            "text": f"Vraag {number}",
            "explanation": "",
            "options": streamfield(
                [("option", {"text": "Ja", "correct": "on"}), ("option", {"text": "Nee"})]
            ),
        }
        for number in range(questions)
    ]
    fields = {
        "title": "Decubitus",
        "slug": "decubitus",
        "description": streamfield([]),
        "required": "on",
        "pass_mark_percent": "70",
        "questions_per_attempt": str(per_attempt),
        "max_attempts": "3",
        "retake_wait_hours": "24",
        "chapters": inline_formset([]),
        "attachments": inline_formset([]),
        "questions": inline_formset(rows),
        "action-publish": "publish",
    }
    return nested_form_data(fields | overrides)


def test_the_editor_counts_the_questions_in_the_form_being_saved(client, course):
    editor = UserFactory(is_staff=True, is_superuser=True)
    UserProfile.objects.update_or_create(user=editor, defaults={"preferred_language": "en"})
    client.force_login(editor)
    add = reverse("wagtailadmin_pages:add", args=("catalog", "episodepage", course.pk))
    response = client.post(add, _episode_form(questions=2, per_attempt=3))
    assert response.status_code == 200
    assert "has 2 questions" in str(response.context["form"].errors["questions_per_attempt"])
    # A required episode of a live course is published with a ready video only.
    video = Video.objects.create(title="Decubitus", state=Video.State.READY, duration=60)
    ready = _episode_form(questions=3, per_attempt=3, video=str(video.pk))
    assert client.post(add, ready).status_code == 302
    episode = EpisodePage.objects.get(slug="decubitus")
    assert episode.live and episode.questions.count() == 3 and episode.questions_per_attempt == 3


def test_reloading_the_test_shows_the_same_attempt(client, learner, episode):
    first = client.get(_url(episode))
    attempt = _attempt(learner, episode)
    second = client.get(_url(episode))
    assert first.status_code == second.status_code == 200
    assert TestAttempt.objects.count() == 1
    assert _inputs(first) == _inputs(second)
    texts = [question[0] for question in QUESTIONS]
    test = end_test_get(episode_id=episode.pk)
    shown = [test.by_id[question_id].text for question_id in attempt.question_ids]
    html = second.content.decode()
    assert sorted(html.index(text) for text in texts) == [html.index(text) for text in shown]


@pytest.mark.parametrize(
    ("questions", "per_attempt"),
    [(QUESTIONS, 0), (_questions(5), 1), (QUESTIONS[:1], 0)],
    ids=["same-pool-reordered", "another-question", "single-question-answers-reordered"],
)
def test_a_retake_never_repeats_the_previous_sheet(client, learner, course, questions, per_attempt):
    episode = end_test_publish(
        episode=course.get_children().first(),
        questions=questions,
        questions_per_attempt=per_attempt,
        max_attempts=0,
        retake_wait_hours=0,
    )
    previous = None
    for _round in range(6):
        # The same seed draws the same sheet every time, unless a retake steers away from it.
        attempt = attempt_start(user=learner, episode_id=episode.pk, rng=random.Random(7))
        sheet = (attempt.question_ids, attempt.option_orders)
        if previous is not None:
            if len(questions) > 1:
                assert attempt.question_ids != previous[0]
            else:
                assert sheet != previous
        client.post(_url(episode), _answers(attempt, right=False))
        assert TestAttempt.objects.get(pk=attempt.pk).submitted_at is not None
        previous = sheet


# --- Grading ---------------------------------------------------------------------------------


def test_all_right_passes_and_shows_the_result(client, learner, episode):
    attempt = _take(client, learner, episode)
    assert attempt.score_percent == 100 and attempt.passed
    assert attempt.pass_mark_percent == 60
    response = client.get(f"/stream/toets/{episode.pk}/uitslag/{attempt.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "100%" in html and "Passed" in html
    assert "Koel eerst twintig minuten" in html  # the explanation
    assert 'href="/stream/toets/' not in html.split("Your answers")[0]  # no retake when passed


def test_a_multiple_answer_question_is_right_only_with_exactly_the_right_answers(
    client, learner, episode
):
    client.get(_url(episode))
    attempt = _attempt(learner, episode)
    test = end_test_get(episode_id=episode.pk)
    multiple = next(q for q in test.questions if q.multiple)
    data = _answers(attempt)
    right_ones = [o.id for o in multiple.options if o.correct]
    data[f"question-{multiple.id}"] = right_ones[:1]  # one of the two right answers
    client.post(_url(episode), data)
    attempt.refresh_from_db()
    assert multiple.id not in attempt.right_question_ids
    assert attempt.score_percent == 66 and attempt.passed  # 2 of 3 meets a 60 % pass mark
    assert attempt.answers[str(multiple.id)] == right_ones[:1]


def test_a_wrong_extra_answer_makes_a_multiple_answer_question_wrong(client, learner, episode):
    client.get(_url(episode))
    attempt = _attempt(learner, episode)
    test = end_test_get(episode_id=episode.pk)
    multiple = next(q for q in test.questions if q.multiple)
    data = _answers(attempt)
    data[f"question-{multiple.id}"] = [o.id for o in multiple.options]
    client.post(_url(episode), data)
    attempt.refresh_from_db()
    assert set(attempt.right_question_ids) == {q.id for q in test.questions} - {multiple.id}


def test_failing_offers_a_retake_and_lists_the_attempts(client, learner, episode):
    first = _take(client, learner, episode, right=False)
    assert first.score_percent == 0 and not first.passed
    _hours_pass(learner, episode, 24)
    second = _take(client, learner, episode, right=True)
    response = client.get(f"/stream/toets/{episode.pk}/uitslag/{first.pk}/")
    html = response.content.decode()
    assert "Not passed" in html and f'href="/stream/toets/{episode.pk}/"' in html
    assert f'href="/stream/toets/{episode.pk}/uitslag/{second.pk}/"' in html  # other attempts
    assert "Wrong" in html


def test_the_sheet_uses_radio_buttons_and_checkboxes_as_the_question_needs(
    client, learner, episode
):
    html = client.get(_url(episode)).content.decode()
    test = end_test_get(episode_id=episode.pk)
    multiple = next(q for q in test.questions if q.multiple)
    single = next(q for q in test.questions if not q.multiple)
    assert f'type="checkbox" name="question-{multiple.id}"' in html
    assert f'type="radio" name="question-{single.id}"' in html
    assert "Choose every right answer." in html and "Choose one answer." in html


# --- Handing in ------------------------------------------------------------------------------


def test_handing_in_twice_keeps_the_first_result(client, learner, episode):
    client.get(_url(episode))
    attempt = _attempt(learner, episode)
    data = _answers(attempt)
    first = client.post(_url(episode), data)
    submitted = TestAttempt.objects.get(pk=attempt.pk)
    again = client.post(_url(episode), data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert TestAttempt.objects.get(pk=attempt.pk).submitted_at == submitted.submitted_at
    assert TestAttempt.objects.count() == 1


def test_other_answers_for_a_handed_in_attempt_are_refused(client, learner, episode):
    client.get(_url(episode))
    attempt = _attempt(learner, episode)
    client.post(_url(episode), _answers(attempt))
    response = client.post(_url(episode), _answers(attempt, right=False), follow=True)
    assert "This attempt was handed in already" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.score_percent == 100 and attempt.passed


def test_someone_elses_attempt_is_not_found(client, learner, episode):
    client.get(_url(episode))
    attempt = _attempt(learner, episode)
    client.post(_url(episode), _answers(attempt))
    other = learner_with_profile()
    client.force_login(other)
    assert client.get(f"/stream/toets/{episode.pk}/uitslag/{attempt.pk}/").status_code == 404
    client.get(_url(episode))  # the other learner's own attempt
    response = client.post(_url(episode), _answers(attempt, right=False))
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.passed and not TestAttempt.objects.filter(user=other, submitted_at__isnull=False)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("unknown-option", "names an answer it does not have"),
        ("unknown-question", "not part of this test"),
        ("two-for-one", "takes one answer"),
        ("unanswered", "Answer every question"),
    ],
)
def test_answers_that_do_not_fit_are_refused_and_the_form_keeps_the_choices(
    client, learner, episode, change, message
):
    client.get(_url(episode))
    attempt = _attempt(learner, episode)
    test = end_test_get(episode_id=episode.pk)
    single = next(q for q in test.questions if not q.multiple)
    data = _answers(attempt)
    other = next(question_id for question_id in attempt.question_ids if question_id != single.id)
    kept = data[f"question-{other}"][0]
    if change == "unknown-option":
        data[f"question-{single.id}"] = ["not-an-option"]
    elif change == "unknown-question":
        data["question-999999"] = ["x"]
    elif change == "two-for-one":
        data[f"question-{single.id}"] = [o.id for o in single.options[:2]]
    else:
        del data[f"question-{single.id}"]
    response = client.post(_url(episode), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and 'role="alert"' in html
    assert f'value="{kept}" checked' in html
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.answers == {} and not attempt.passed


@pytest.mark.parametrize("attempt_id", ["", "abc", "١٢", "9" * 30])
def test_a_garbled_attempt_id_is_not_found(client, learner, episode, attempt_id):
    client.get(_url(episode))
    response = client.post(_url(episode), {"attempt": attempt_id})
    assert response.status_code == 404
    assert not TestAttempt.objects.filter(submitted_at__isnull=False).exists()


# --- Who may take it -------------------------------------------------------------------------


def test_a_visitor_is_sent_to_sign_in(client, episode):
    response = client.get(_url(episode))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post(_url(episode), {"attempt": "1"}).status_code == 302
    assert not TestAttempt.objects.exists()


def test_a_paid_course_needs_an_enrolment(client, learner):
    course = course_publish(title="Wondzorg plus", episodes=["Decubitus"], price=95)
    episode = end_test_publish(episode=course.get_children().first(), questions=QUESTIONS)
    assert client.get(_url(episode)).status_code == 404
    Enrolment.objects.create(user=learner, course=course)
    assert client.get(_url(episode)).status_code == 200


def test_an_unpublished_episode_or_one_without_questions_has_no_test(client, learner, course):
    plain = course_publish(title="Hygiëne", episodes=["Handen wassen"]).get_children().first()
    assert client.get(_url(plain)).status_code == 404
    episode = end_test_publish(episode=course.get_children().first(), questions=QUESTIONS)
    episode.unpublish()
    assert client.get(_url(episode)).status_code == 404
    assert client.get("/stream/toets/999999/").status_code == 404


# --- On the episode page ----------------------------------------------------------------------


def test_the_episode_summary_counts_attempts_and_the_best_score(client, learner, episode):
    summary = episode_test_summary(user=learner, episode_id=episode.pk)
    assert summary.has_questions and summary.questions_per_attempt == 3
    assert summary.attempts == 0 and summary.best_score_percent is None and not summary.passed
    assert summary.url == _url(episode)
    _take(client, learner, episode, right=False)
    _hours_pass(learner, episode, 24)
    _take(client, learner, episode, right=True)
    summary = episode_test_summary(user=learner, episode_id=episode.pk)
    assert summary.attempts == 2 and summary.best_score_percent == 100 and summary.passed
    with translation.override("en"):
        html = render_to_string("playback/_episode_test.html", {"summary": summary})
    assert "End test" in html and "100%" in html and _url(episode) in html


def test_the_episode_summary_without_questions_or_for_an_unpublished_episode(learner, course):
    plain = course.get_children().first()
    assert episode_test_summary(user=learner, episode_id=plain.pk) is None  # nothing to show
    assert render_to_string("playback/_episode_test.html", {"summary": None}).strip() == ""
    plain.unpublish()
    assert episode_test_summary(user=learner, episode_id=plain.pk) is None


# --- In Dutch ---------------------------------------------------------------------------------


def test_the_pages_speak_dutch(client, learner, episode):
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    html = client.get(_url(episode)).content.decode()
    for text in (
        "Eindtoets",
        "Vraag 1",
        "Kies één antwoord.",
        "Kies alle juiste antwoorden.",
        "Inleveren",
        "Cesuur",
    ):
        assert text in html, text
    attempt = _attempt(learner, episode)
    response = client.post(_url(episode), _answers(attempt, skip=attempt.question_ids[:1]))
    assert "Beantwoord alle vragen" in response.content.decode()
    response = client.post(_url(episode), _answers(attempt, right=False), follow=True)
    html = response.content.decode()
    for text in ("Uitslag", "Niet gehaald", "0 van de 3 vragen goed", "Je kunt de toets opnieuw"):
        assert text in html, text
    assert "Jouw antwoorden" not in html and "Fout" not in html  # not before passing
    html = client.get(_url(episode)).content.decode()
    assert "Je kunt de toets opnieuw maken vanaf " in html and "Je laatste uitslag" in html


# --- Retakes: attempts, the wait, fresh questions, what a result reveals ----------------------

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EXPLANATION = "Koel eerst twintig minuten"


def _limited(course, *, attempts: int, wait: int = 0, **fields):
    return end_test_publish(
        episode=course.get_children().first(),
        questions=fields.pop("questions", QUESTIONS),
        max_attempts=attempts,
        retake_wait_hours=wait,
        **fields,
    )


def _submit(learner, episode, *, at: datetime, right: bool = False) -> TestAttempt:
    attempt = attempt_start(user=learner, episode_id=episode.pk, now=at)
    return attempt_submit(
        user=learner,
        episode_id=episode.pk,
        attempt_id=attempt.pk,
        data=_answers(attempt, right=right),
        now=at,
    )


def test_existing_and_new_end_tests_limit_attempts_and_make_a_failed_learner_wait(episode):
    test = end_test_get(episode_id=episode.pk)
    assert (test.max_attempts, test.retake_wait_hours) == (3, 24)


def test_an_immediate_retake_is_refused_and_says_from_when_it_is_possible(client, learner, episode):
    failed = _take(client, learner, episode, right=False)
    moment = moment_format(failed.submitted_at + timedelta(hours=24), now=failed.submitted_at)
    message = f"You can take the test again from {moment}."
    response = client.get(_url(episode))
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'name="attempt"' not in html and not _inputs(response)
    assert TestAttempt.objects.filter(user=learner).count() == 1
    result = client.get(f"/stream/toets/{episode.pk}/uitslag/{failed.pk}/").content.decode()
    assert message in result and f'href="{_url(episode)}"' not in result
    # Handing in the old sheet again with better answers is refused, and nothing changes.
    response = client.post(_url(episode), _answers(failed, right=True))
    assert response.status_code == 403 and message in response.content.decode()
    failed.refresh_from_db()
    assert failed.score_percent == 0 and not failed.passed
    assert TestAttempt.objects.filter(user=learner).count() == 1


def test_an_attempt_opened_during_the_wait_cannot_be_handed_in(client, learner, episode):
    failed = _take(client, learner, episode, right=False)
    sneaked = TestAttempt.objects.create(
        user=learner,
        episode=episode,
        course=failed.course,
        question_ids=failed.question_ids,
        option_orders=failed.option_orders,
        started_at=failed.submitted_at + timedelta(minutes=1),
    )
    response = client.post(_url(episode), _answers(sneaked, right=True))
    assert response.status_code == 403
    assert "You can take the test again from" in response.content.decode()
    sneaked.refresh_from_db()
    assert sneaked.submitted_at is None and not sneaked.passed and sneaked.answers == {}


def test_the_wait_ends_at_the_moment_the_page_names_in_dutch(learner, episode):
    handed_in = datetime(2026, 12, 7, 14, 30, tzinfo=AMSTERDAM)
    _submit(learner, episode, at=handed_in)
    with pytest.raises(RetakeRefused) as refused, translation.override("nl"):
        attempt_start(user=learner, episode_id=episode.pk, now=handed_in + timedelta(hours=23))
    with translation.override("nl"):
        assert refused.value.allowance.message == (
            "Je kunt de toets opnieuw maken vanaf dinsdag 8 december, 14:30."
        )
    with pytest.raises(RetakeRefused):
        attempt_start(
            user=learner, episode_id=episode.pk, now=handed_in + timedelta(hours=24, seconds=-1)
        )
    retake = attempt_start(user=learner, episode_id=episode.pk, now=handed_in + timedelta(hours=24))
    assert retake.submitted_at is None and TestAttempt.objects.count() == 2
    with translation.override("nl"):
        new_year = datetime(2027, 1, 2, 9, 5, tzinfo=AMSTERDAM)
        assert moment_format(new_year, now=handed_in) == "zaterdag 2 januari 2027, 09:05"


def test_a_retake_is_possible_once_the_wait_is_over(client, learner, episode):
    _take(client, learner, episode, right=False)
    _hours_pass(learner, episode, 24)
    response = client.get(_url(episode))
    assert response.status_code == 200 and len({name for name, _ in _inputs(response)}) == 3
    assert "Attempt" in response.content.decode() and "2 of 3" in response.content.decode()
    second = _take(client, learner, episode, right=True)
    assert second.passed and TestAttempt.objects.filter(user=learner).count() == 2


def test_a_passed_learner_does_not_wait(client, learner, episode):
    _take(client, learner, episode, right=True)
    response = client.get(_url(episode))
    assert response.status_code == 200 and _inputs(response)


def test_no_attempt_after_the_last_one_and_the_page_says_whom_to_ask(client, learner, course):
    provider = Provider.objects.create(name="Academie Wondzorg", website="https://wond.example")
    course.provider = provider
    course.save_revision().publish()
    episode = _limited(course, attempts=2)
    for _round in range(2):
        _take(client, learner, episode, right=False)
    response = client.get(_url(episode))
    html = response.content.decode()
    assert response.status_code == 200 and not _inputs(response)
    assert "You have used all 2 attempts at this test without passing it." in html
    assert "Contact the provider" in html and 'href="https://wond.example"' in html
    assert not TestAttempt.objects.filter(user=learner, submitted_at__isnull=True).exists()
    last = TestAttempt.objects.filter(user=learner).latest("submitted_at")
    response = client.post(_url(episode), _answers(last, right=True))
    assert response.status_code == 403 and "without passing it" in response.content.decode()
    assert TestAttempt.objects.filter(user=learner).count() == 2
    assert not TestAttempt.objects.filter(user=learner, passed=True).exists()
    summary = episode_test_summary(user=learner, episode_id=episode.pk)
    assert not summary.may_start and "without passing it" in summary.message
    with translation.override("en"):
        html = render_to_string("playback/_episode_test.html", {"summary": summary})
    assert summary.url not in html and "2 of 2" in html


def test_a_single_attempt_test_allows_one_go(learner, course):
    episode = _limited(course, attempts=1)
    moment = datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM)
    _submit(learner, episode, at=moment)
    with pytest.raises(RetakeRefused) as refused, translation.override("nl"):
        attempt_start(user=learner, episode_id=episode.pk, now=moment + timedelta(days=30))
    with translation.override("nl"):
        assert refused.value.allowance.message.startswith(
            "Je hebt je 1 poging voor deze toets gebruikt zonder hem te halen."
        )


def test_a_retake_asks_questions_the_learner_has_not_had(learner, course):
    episode = _limited(
        course,
        attempts=3,
        questions=_questions(6),
        questions_per_attempt=2,
        retake_new_questions=True,
    )
    for seed in range(5):
        TestAttempt.objects.all().delete()
        start = datetime(2026, 5, 1, 9, 0, tzinfo=AMSTERDAM)
        seen: list[set[int]] = []
        for round_ in range(3):
            at = start + timedelta(minutes=round_)
            attempt = attempt_start(
                user=learner, episode_id=episode.pk, rng=random.Random(seed), now=at
            )
            assert not set(attempt.question_ids) & set().union(*seen), (seed, round_)
            seen.append(set(attempt.question_ids))
            attempt_submit(
                user=learner,
                episode_id=episode.pk,
                attempt_id=attempt.pk,
                data=_answers(attempt, right=False),
                now=at,
            )
        assert len(set().union(*seen)) == 6


def test_when_the_pool_runs_out_a_retake_asks_what_was_asked_longest_ago(learner, course):
    episode = _limited(course, attempts=0, questions=_questions(5), questions_per_attempt=2)
    at = datetime(2026, 5, 1, 9, 0, tzinfo=AMSTERDAM)
    first = _submit(learner, episode, at=at)
    second = _submit(learner, episode, at=at + timedelta(minutes=1))
    assert not set(first.question_ids) & set(second.question_ids)
    third = attempt_start(user=learner, episode_id=episode.pk, now=at + timedelta(minutes=2))
    pool = {q.id for q in end_test_get(episode_id=episode.pk).questions}
    never_asked = pool - set(first.question_ids) - set(second.question_ids)
    assert never_asked < set(third.question_ids) < never_asked | set(first.question_ids)


def _result(client, episode, attempt) -> str:
    return client.get(f"/stream/toets/{episode.pk}/uitslag/{attempt.pk}/").content.decode()


def test_a_failed_result_with_attempts_left_shows_only_the_score(client, learner, course):
    episode = _limited(course, attempts=2)
    failed = _take(client, learner, episode, right=False)
    html = _result(client, episode, failed)
    assert "0%" in html and "Not passed" in html and "0 of 3 questions right" in html
    assert "You have 1 attempt left." in html and f'href="{_url(episode)}"' in html
    assert EXPLANATION not in html and "Wrong" not in html and "Your answers" not in html
    assert QUESTIONS[0][0] not in html  # not even the questions, to look up in between
    assert "shown once you pass the test or have no attempts left" in html


def test_the_last_failed_attempt_shows_right_wrong_and_the_explanations(client, learner, course):
    episode = _limited(course, attempts=2)
    first = _take(client, learner, episode, right=False)
    second = _take(client, learner, episode, right=False)
    for attempt in (first, second):
        html = _result(client, episode, attempt)
        assert EXPLANATION in html and "Wrong" in html and "Your answers" in html
        assert "without passing it" in html and f'href="{_url(episode)}"' not in html


def test_passing_shows_right_wrong_and_the_explanations_of_every_attempt(client, learner, course):
    episode = _limited(course, attempts=3)
    failed = _take(client, learner, episode, right=False)
    assert EXPLANATION not in _result(client, episode, failed)
    passed = _take(client, learner, episode, right=True)
    for attempt in (failed, passed):
        html = _result(client, episode, attempt)
        assert EXPLANATION in html and "Your answers" in html


def test_another_learners_attempt_stays_out_of_reach_while_waiting(client, learner, episode):
    theirs = _take(client, learner, episode, right=False)
    other = learner_with_profile()
    client.force_login(other)
    _take(client, other, episode, right=False)
    assert client.get(f"/stream/toets/{episode.pk}/uitslag/{theirs.pk}/").status_code == 404
    response = client.post(_url(episode), _answers(theirs, right=True))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.passed and theirs.score_percent == 0
    assert TestAttempt.objects.filter(user=other).count() == 1


# --- Retakes in the editor --------------------------------------------------------------------

FRESH_NEEDS_A_LIMIT = (
    "Als elke herkansing nieuwe vragen stelt, stel dan een maximum aantal pogingen in"
)
FRESH_NEEDS_A_DRAW = "Als elke herkansing nieuwe vragen stelt, kan een poging niet alle vragen"
FRESH_NEEDS_A_POOL = "Voor 3 pogingen met elk 2 nieuwe vragen zijn minstens 6 vragen nodig"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"max_attempts": 0, "questions_per_attempt": 1}, "max_attempts", FRESH_NEEDS_A_LIMIT),
        (
            {"max_attempts": 3, "questions_per_attempt": 0},
            "questions_per_attempt",
            FRESH_NEEDS_A_DRAW,
        ),
        (
            {"max_attempts": 3, "questions_per_attempt": 2},
            "retake_new_questions",
            FRESH_NEEDS_A_POOL,
        ),
    ],
    ids=["any-number-of-attempts", "every-question", "pool-too-small"],
)
def test_fresh_retakes_need_a_pool_that_holds_them(course, fields, field, message):
    with pytest.raises(ValidationError) as refused, translation.override("nl"):
        end_test_publish(
            episode=course.get_children().first(),
            questions=_questions(5),
            retake_new_questions=True,
            **fields,
        )
    assert message in str(refused.value.message_dict[field])


def test_fresh_retakes_with_one_attempt_or_a_large_enough_pool_are_accepted(course):
    episode = course.get_children().first()
    single = end_test_publish(
        episode=episode, questions=QUESTIONS, retake_new_questions=True, max_attempts=1
    )
    assert single.retake_new_questions
    enough = end_test_publish(
        episode=episode,
        questions=_questions(6),
        retake_new_questions=True,
        max_attempts=3,
        questions_per_attempt=2,
    )
    assert enough.questions.count() == 6


def test_the_editor_is_told_in_dutch_when_the_pool_is_too_small(client, course):
    editor = UserFactory(is_staff=True, is_superuser=True)
    UserProfile.objects.update_or_create(user=editor, defaults={"preferred_language": "nl"})
    client.force_login(editor)
    add = reverse("wagtailadmin_pages:add", args=("catalog", "episodepage", course.pk))
    form = _episode_form(questions=5, per_attempt=2, retake_new_questions="on")
    response = client.post(add, form)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert FRESH_NEEDS_A_POOL in str(errors["retake_new_questions"])
    assert "de eindtoets heeft er 5" in response.content.decode()
    form = _episode_form(
        questions=6, per_attempt=2, retake_new_questions="on", retake_wait_hours="x"
    )
    response = client.post(add, form)
    assert response.status_code == 200 and "retake_wait_hours" in response.context["form"].errors
    form = _episode_form(
        questions=6, per_attempt=2, retake_new_questions="on", retake_wait_hours="2"
    )
    assert client.post(add, form).status_code == 302
    episode = EpisodePage.objects.get(slug="decubitus")
    assert (episode.max_attempts, episode.retake_wait_hours) == (3, 2)
    assert episode.retake_new_questions and episode.questions.count() == 6
