"""End tests: drawing an attempt, grading it, and what the test pages show.

An episode's end test is its pool of questions. Each attempt draws from the pool (all of it, or
``questions_per_attempt`` at random), shuffles the questions and each question's answers, and
stores that order, so a reload shows the same sheet and a retake a different one. A question is
right when the answers chosen are exactly its correct answers."""

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import api as catalog_api

from ..access import episode_playable_for
from ..models import CourseCompletion, TestAttempt

ANSWER_FIELD_PREFIX = "question-"


class TestUnavailable(Exception):
    """The episode is not live, this learner may not take its test, or it has no questions."""

    __test__ = False


class AttemptOutdated(Exception):
    """The test was edited while the attempt was open; the learner starts again."""


class AttemptClosed(Exception):
    """The attempt was handed in already, with other answers."""


class AnswersRefused(Exception):
    """The answers sent do not fit the attempt; ``reason`` says why, ``chosen`` holds what could
    be understood, so the form can be shown again as the learner left it."""

    def __init__(self, reason, chosen: dict[str, list[str]]):
        super().__init__(str(reason))
        self.reason = reason
        self.chosen = chosen


def _test_for(
    *, user, episode_id: int
) -> tuple["catalog_api.PlayableEpisode", catalog_api.EndTest]:
    playable = episode_playable_for(user=user, episode_id=episode_id)
    test = catalog_api.end_test_get(episode_id=episode_id) if playable else None
    if playable is None or test is None or not test.questions:
        raise TestUnavailable
    return playable, test


def _askable(attempt: TestAttempt, test: catalog_api.EndTest) -> bool:
    """Every question of the attempt is still in the test, with the same answers."""
    for question_id in attempt.question_ids:
        question = test.by_id.get(question_id)
        order = attempt.option_orders.get(str(question_id), [])
        if question is None or set(order) != {option.id for option in question.options}:
            return False
    return bool(attempt.question_ids)


def attempt_draw(
    *, test: catalog_api.EndTest, previous: TestAttempt | None, rng: random.Random
) -> tuple[list[int], dict[str, list[str]]]:
    """Question ids in their order and, per question, its option ids in their order. Never the
    previous attempt's exact sheet when the pool offers another."""
    picked = rng.sample(test.questions, test.attempt_size)
    if previous is not None and [q.id for q in picked] == previous.question_ids:
        if len(picked) >= 2:
            picked = picked[1:] + picked[:1]
        elif len(test.questions) >= 2:
            picked = [rng.choice([q for q in test.questions if q.id != picked[0].id])]
    orders = {
        str(question.id): rng.sample([o.id for o in question.options], len(question.options))
        for question in picked
    }
    if previous is not None and len(test.questions) == 1 and orders == previous.option_orders:
        only = str(picked[0].id)
        orders[only] = orders[only][1:] + orders[only][:1]
    return [question.id for question in picked], orders


def attempt_start(*, user, episode_id: int, rng: random.Random | None = None) -> TestAttempt:
    """The learner's open attempt at this test, or a newly drawn one."""
    playable, test = _test_for(user=user, episode_id=episode_id)
    attempts = TestAttempt.objects.filter(user=user, episode_id=playable.episode_id)
    current = attempts.filter(submitted_at__isnull=True).first()
    if current is not None:
        if _askable(current, test):
            return current
        current.delete()  # nothing answered yet, and its questions are gone or changed
    previous = attempts.filter(submitted_at__isnull=False).order_by("-submitted_at").first()
    question_ids, option_orders = attempt_draw(
        test=test, previous=previous, rng=rng or random.SystemRandom()
    )
    try:
        with transaction.atomic():
            return TestAttempt.objects.create(
                user=user,
                episode_id=playable.episode_id,
                course_id=playable.course_id,
                question_ids=question_ids,
                option_orders=option_orders,
                started_at=timezone.now(),
            )
    except IntegrityError:  # the same learner opened the test twice at once
        return attempts.get(submitted_at__isnull=True)


def answers_parse(*, attempt: TestAttempt, test: catalog_api.EndTest, data) -> dict[str, list[str]]:
    """The chosen option ids per question of the attempt, in the order shown, from form data
    (``question-<id>``: option ids); AnswersRefused with the reason in the learner's language."""
    values = data.getlist if hasattr(data, "getlist") else (lambda key: data.get(key) or [])
    asked = {str(question_id) for question_id in attempt.question_ids}
    chosen: dict[str, list[str]] = {}
    problems = []
    for key in data:
        if key.startswith(ANSWER_FIELD_PREFIX) and key[len(ANSWER_FIELD_PREFIX) :] not in asked:
            problems.append(_("The answers name a question that is not part of this test."))
            break
    unanswered = []
    for number, question_id in enumerate(attempt.question_ids, start=1):
        order = attempt.option_orders[str(question_id)]
        given = values(f"{ANSWER_FIELD_PREFIX}{question_id}")
        given = [given] if isinstance(given, str) else list(given)
        if any(not isinstance(value, str) or value not in order for value in given):
            problems.append(
                _("Question %(number)d names an answer it does not have.") % {"number": number}
            )
        picked = [option_id for option_id in order if option_id in given]
        chosen[str(question_id)] = picked
        if not picked:
            unanswered.append(str(number))
        elif len(picked) > 1 and not test.by_id[question_id].multiple:
            problems.append(_("Question %(number)d takes one answer.") % {"number": number})
    if unanswered and not problems:
        problems.append(
            _("Answer every question before you hand in the test. Still open: %(numbers)s.")
            % {"numbers": ", ".join(unanswered)}
        )
    if problems:
        raise AnswersRefused(problems[0], chosen)
    return chosen


def attempt_submit(*, user, episode_id: int, attempt_id: int, data) -> TestAttempt:
    """Grade and store an attempt. Sending the same answers again returns the stored result;
    raises TestAttempt.DoesNotExist for an attempt that is not this learner's."""
    playable, test = _test_for(user=user, episode_id=episode_id)
    with transaction.atomic():
        attempt = TestAttempt.objects.select_for_update().get(
            pk=attempt_id, user=user, episode_id=playable.episode_id
        )
        if attempt.is_submitted:
            try:
                again = answers_parse(attempt=attempt, test=test, data=data)
            except AnswersRefused:
                again = None
            if again != attempt.answers:
                raise AttemptClosed
            return attempt
        if not _askable(attempt, test):
            raise AttemptOutdated
        chosen = answers_parse(attempt=attempt, test=test, data=data)
        right = [
            question_id
            for question_id in attempt.question_ids
            if set(chosen[str(question_id)]) == test.by_id[question_id].correct_ids
        ]
        total = len(attempt.question_ids)
        attempt.answers = chosen
        attempt.right_question_ids = right
        attempt.score_percent = len(right) * 100 // total
        attempt.pass_mark_percent = test.pass_mark_percent
        # Compared in whole numbers, so 7 of 10 meets a 70 % mark without rounding doubts.
        attempt.passed = len(right) * 100 >= test.pass_mark_percent * total
        attempt.submitted_at = timezone.now()
        attempt.save()
        if attempt.passed:
            from .completion import course_completion_check

            # After the commit, so an episode completed at the same moment is seen as well.
            transaction.on_commit(
                partial(course_completion_check, user_id=user.pk, course_id=attempt.course_id)
            )
    return attempt


# --- What the test pages show (selectors) --------------------------------------------------


@dataclass(frozen=True)
class SheetQuestion:
    id: int
    number: int
    text: str
    multiple: bool
    options: tuple[catalog_api.AnswerOption, ...]
    chosen: frozenset[str]
    right: bool | None = None
    explanation: str = ""

    @property
    def field_name(self) -> str:
        return f"{ANSWER_FIELD_PREFIX}{self.id}"

    @property
    def chosen_texts(self) -> list[str]:
        return [option.text for option in self.options if option.id in self.chosen]


@dataclass(frozen=True)
class AttemptSummary:
    id: int
    submitted_at: datetime
    score_percent: int
    passed: bool
    url: str


@dataclass(frozen=True)
class AttemptSheet:
    attempt_id: int
    episode_id: int
    episode_title: str
    episode_url: str
    course_title: str
    course_url: str
    pass_mark_percent: int
    questions: tuple[SheetQuestion, ...]
    score_percent: int | None = None
    passed: bool = False
    submitted_at: datetime | None = None
    course_complete: bool = False
    attempts: tuple[AttemptSummary, ...] = ()

    @property
    def right_count(self) -> int:
        return sum(1 for question in self.questions if question.right)


def _result_url(attempt_episode_id: int, attempt_id: int) -> str:
    return reverse("playback:test_result", args=[attempt_episode_id, attempt_id])


def attempt_sheet(
    *, attempt: TestAttempt, chosen: Mapping[str, Sequence[str]] | None = None
) -> AttemptSheet:
    """The attempt as the learner sees it: questions and answers in the attempt's order, and
    once handed in, the grade and the learner's other attempts."""
    test = catalog_api.end_test_get(episode_id=attempt.episode_id)
    by_id = test.by_id if test else {}
    chosen = attempt.answers if chosen is None else chosen
    right_ids = set(attempt.right_question_ids)
    questions = []
    for number, question_id in enumerate(attempt.question_ids, start=1):
        question = by_id.get(question_id)
        if question is None:  # removed from the test since
            continue
        options = {option.id: option for option in question.options}
        shown = attempt.option_orders.get(str(question_id), [])
        order = [options[option_id] for option_id in shown if option_id in options]
        questions.append(
            SheetQuestion(
                id=question_id,
                number=number,
                text=question.text,
                multiple=question.multiple,
                options=tuple(order),
                chosen=frozenset(chosen.get(str(question_id), ())),
                right=(question_id in right_ids) if attempt.is_submitted else None,
                explanation=question.explanation if attempt.is_submitted else "",
            )
        )
    where = catalog_api.watchable_get(course_id=attempt.course_id, episode_id=attempt.episode_id)
    course = catalog_api.watchable_get(course_id=attempt.course_id)
    attempts = ()
    if attempt.is_submitted:
        attempts = tuple(
            AttemptSummary(
                row.pk,
                row.submitted_at,
                row.score_percent,
                row.passed,
                _result_url(row.episode_id, row.pk),
            )
            for row in TestAttempt.objects.filter(
                user_id=attempt.user_id, episode_id=attempt.episode_id, submitted_at__isnull=False
            ).order_by("-submitted_at", "-pk")
        )
    return AttemptSheet(
        attempt_id=attempt.pk,
        episode_id=attempt.episode_id,
        episode_title=where.title if where else (test.title if test else ""),
        episode_url=where.url if where else "",
        course_title=course.title if course else "",
        course_url=course.url if course else "",
        pass_mark_percent=attempt.pass_mark_percent or (test.pass_mark_percent if test else 0),
        questions=tuple(questions),
        score_percent=attempt.score_percent,
        passed=attempt.passed,
        submitted_at=attempt.submitted_at,
        course_complete=attempt.is_submitted
        and CourseCompletion.objects.filter(
            user_id=attempt.user_id, course_id=attempt.course_id
        ).exists(),
        attempts=attempts,
    )


def attempt_result_get(*, user, episode_id: int, attempt_id: int) -> TestAttempt:
    """A handed-in attempt of this learner at a test they may take; TestUnavailable or
    TestAttempt.DoesNotExist otherwise."""
    playable, _test = _test_for(user=user, episode_id=episode_id)
    return TestAttempt.objects.get(
        pk=attempt_id, user=user, episode_id=playable.episode_id, submitted_at__isnull=False
    )


@dataclass(frozen=True)
class EpisodeTestSummary:
    episode_id: int
    has_questions: bool
    questions_per_attempt: int
    pass_mark_percent: int
    attempts: int
    best_score_percent: int | None
    passed: bool
    url: str


def episode_test_summary(*, user, episode_id: int) -> EpisodeTestSummary | None:
    """What the episode page says about its end test; None for an episode without one or that
    is not live."""
    test = catalog_api.end_test_get(episode_id=episode_id)
    if test is None or not test.questions:
        return None
    if catalog_api.episode_for_playback(episode_id) is None:
        return None
    scores = []
    if user.is_authenticated:
        scores = list(
            TestAttempt.objects.filter(
                user=user, episode_id=episode_id, submitted_at__isnull=False
            ).values_list("score_percent", "passed")
        )
    return EpisodeTestSummary(
        episode_id=episode_id,
        has_questions=bool(test.questions),
        questions_per_attempt=test.attempt_size,
        pass_mark_percent=test.pass_mark_percent,
        attempts=len(scores),
        best_score_percent=max((score for score, _passed in scores), default=None),
        passed=any(passed for _score, passed in scores),
        url=reverse("playback:test", args=[episode_id]),
    )
