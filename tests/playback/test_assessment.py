"""End tests: drawing and shuffling attempts, grading, handing in, and who may take them."""

import random
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
from wagtail.users.models import UserProfile

from catalog.api import end_test_get
from catalog.models import EpisodePage
from playback.api import episode_test_summary
from playback.models import Enrolment, TestAttempt
from playback.services.assessment import attempt_start
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


@pytest.fixture
def course():
    return course_publish(title="Wondzorg", episodes=["Brandwonden"])


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
    assert client.post(add, _episode_form(questions=3, per_attempt=3)).status_code == 302
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
    for text in ("Uitslag", "Niet gehaald", "Opnieuw", "Jouw antwoorden", "Fout"):
        assert text in html, text
