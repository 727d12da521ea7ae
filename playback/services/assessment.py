"""End tests: drawing an attempt and grading it; what the pages show is in ``assessment_pages``.

An episode's end test is its pool of questions. Each attempt draws from the pool (all of it, or
``questions_per_attempt``, the questions the learner has not had first), shuffles the questions
and each question's answers, and stores that order, so a reload shows the same sheet and a retake
a different one. A question is right when the answers chosen are exactly its correct answers.
How many attempts a learner has, and how long they wait after a failed one, is in ``retakes``."""

import random
from collections.abc import Sequence
from datetime import datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import api as catalog_api

from ..access import episode_playable_for
from ..models import TestAttempt
from .completion import course_completion_check
from .retakes import RetakeRefused, attempt_allowance

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
    *, test: catalog_api.EndTest, history: Sequence[TestAttempt], rng: random.Random
) -> tuple[list[int], dict[str, list[str]]]:
    """Question ids in their order and, per question, its option ids in their order. The
    questions no earlier attempt (``history``, newest first) asked come first, then those asked
    longest ago; never the previous attempt's exact sheet when the pool offers another."""
    last_asked: dict[int, int] = {}
    for age, attempt in enumerate(history):
        for question_id in attempt.question_ids:
            last_asked.setdefault(question_id, age)
    shuffled = rng.sample(test.questions, len(test.questions))
    # A stable sort, so the shuffle decides among questions last asked equally long ago.
    oldest_first = sorted(
        shuffled, key=lambda question: last_asked.get(question.id, len(history)), reverse=True
    )
    picked = oldest_first[: test.attempt_size]
    rng.shuffle(picked)
    previous = history[0] if history else None
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


def _handed_in(*, user_id: int, episode_id: int, exclude_id: int | None = None):
    """The learner's handed-in attempts at the test, newest first."""
    rows = TestAttempt.objects.filter(
        user_id=user_id, episode_id=episode_id, submitted_at__isnull=False
    ).order_by("-submitted_at", "-pk")
    return list(rows.exclude(pk=exclude_id) if exclude_id else rows)


def attempt_start(
    *,
    user,
    episode_id: int,
    rng: random.Random | None = None,
    now: datetime | None = None,
) -> TestAttempt:
    """The learner's open attempt at this test, or a newly drawn one; RetakeRefused when they
    have no attempts left or must wait after a failed one."""
    now = now or timezone.now()
    playable, test = _test_for(user=user, episode_id=episode_id)
    attempts = TestAttempt.objects.filter(user=user, episode_id=playable.episode_id)
    current = attempts.filter(submitted_at__isnull=True).first()
    history = _handed_in(user_id=user.pk, episode_id=playable.episode_id)
    allowance = attempt_allowance(test=test, handed_in=history, now=now)
    if current is not None:
        if _askable(current, test) and allowance.may_start:
            return current
        # Nothing answered yet; its questions changed, or it was opened when it should not be.
        current.delete()
    if not allowance.may_start:
        raise RetakeRefused(allowance, episode_id=playable.episode_id, course_id=playable.course_id)
    question_ids, option_orders = attempt_draw(
        test=test, history=history, rng=rng or random.SystemRandom()
    )
    try:
        with transaction.atomic():
            return TestAttempt.objects.create(
                user=user,
                episode_id=playable.episode_id,
                course_id=playable.course_id,
                question_ids=question_ids,
                option_orders=option_orders,
                started_at=now,
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


def attempt_submit(
    *, user, episode_id: int, attempt_id: int, data, now: datetime | None = None
) -> TestAttempt:
    """Grade and store an attempt. Sending the same answers again returns the stored result;
    raises TestAttempt.DoesNotExist for an attempt that is not this learner's, and RetakeRefused
    (storing nothing) when the learner may not take the test now."""
    now = now or timezone.now()
    playable, test = _test_for(user=user, episode_id=episode_id)
    with transaction.atomic():
        attempt = TestAttempt.objects.select_for_update().get(
            pk=attempt_id, user=user, episode_id=playable.episode_id
        )
        history = _handed_in(user_id=user.pk, episode_id=playable.episode_id, exclude_id=attempt.pk)
        if attempt.is_submitted:
            try:
                again = answers_parse(attempt=attempt, test=test, data=data)
            except AnswersRefused:
                again = None
            if again == attempt.answers:
                return attempt
            # Other answers to a closed sheet: say when a new attempt is possible, if not now.
            allowance = attempt_allowance(test=test, handed_in=[attempt, *history], now=now)
            if not allowance.may_start:
                raise RetakeRefused(
                    allowance, episode_id=attempt.episode_id, course_id=attempt.course_id
                )
            raise AttemptClosed
        allowance = attempt_allowance(test=test, handed_in=history, now=now)
        if not allowance.may_start:
            raise RetakeRefused(
                allowance, episode_id=attempt.episode_id, course_id=attempt.course_id
            )
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
        attempt.submitted_at = now
        attempt.save()
        if attempt.passed:
            # After the commit, so an episode completed at the same moment is seen as well.
            transaction.on_commit(
                partial(course_completion_check, user_id=user.pk, course_id=attempt.course_id)
            )
    return attempt


def attempt_result_get(*, user, episode_id: int, attempt_id: int) -> TestAttempt:
    """A handed-in attempt of this learner at a test they may take; TestUnavailable or
    TestAttempt.DoesNotExist otherwise."""
    playable, _test = _test_for(user=user, episode_id=episode_id)
    return TestAttempt.objects.get(
        pk=attempt_id, user=user, episode_id=playable.episode_id, submitted_at__isnull=False
    )
