"""What the end-test pages show: the sheet, the result, the episode's summary, and the page for a
learner who may not take the test now. Right and wrong and the explanations stay hidden until
the learner has passed or has no attempts left, so a retake cannot be clicked through."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from catalog import api as catalog_api

from ..models import CourseCompletion, TestAttempt
from .assessment import ANSWER_FIELD_PREFIX
from .retakes import AttemptAllowance, RetakeRefused, attempt_allowance


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
    # Empty on a result while right and wrong are not to be shown yet.
    questions: tuple[SheetQuestion, ...]
    question_count: int = 0
    right_count: int = 0
    score_percent: int | None = None
    passed: bool = False
    submitted_at: datetime | None = None
    course_complete: bool = False
    attempts: tuple[AttemptSummary, ...] = ()
    attempt_number: int = 1
    max_attempts: int = 0
    answers_shown: bool = False
    allowance: AttemptAllowance | None = None  # on a result: what the learner may do next
    provider: catalog_api.ProviderContact | None = None  # for a learner out of attempts


def _result_url(attempt_episode_id: int, attempt_id: int) -> str:
    return reverse("playback:test_result", args=[attempt_episode_id, attempt_id])


def _handed_in(attempt: TestAttempt) -> list[TestAttempt]:
    return list(
        TestAttempt.objects.filter(
            user_id=attempt.user_id, episode_id=attempt.episode_id, submitted_at__isnull=False
        ).order_by("-submitted_at", "-pk")
    )


def attempt_sheet(
    *,
    attempt: TestAttempt,
    chosen: Mapping[str, Sequence[str]] | None = None,
    now: datetime | None = None,
) -> AttemptSheet:
    """The attempt as the learner sees it: questions and answers in the attempt's order, and
    once handed in, the grade, the learner's other attempts and what they may do next."""
    test = catalog_api.end_test_get(episode_id=attempt.episode_id)
    handed_in = _handed_in(attempt)
    allowance = None
    if test is not None:
        allowance = attempt_allowance(test=test, handed_in=handed_in, now=now or timezone.now())
    answers_shown = attempt.is_submitted and allowance is not None and allowance.answers_shown
    chosen = attempt.answers if chosen is None else chosen
    questions = (
        _sheet_questions(attempt, test, chosen) if not attempt.is_submitted or answers_shown else []
    )
    where = catalog_api.watchable_get(course_id=attempt.course_id, episode_id=attempt.episode_id)
    course = catalog_api.watchable_get(course_id=attempt.course_id)
    attempts = _attempt_summaries(handed_in) if attempt.is_submitted else ()
    out_of_attempts = allowance is not None and allowance.out_of_attempts and not allowance.passed
    return AttemptSheet(
        attempt_id=attempt.pk,
        episode_id=attempt.episode_id,
        episode_title=where.title if where else (test.title if test else ""),
        episode_url=where.url if where else "",
        course_title=course.title if course else "",
        course_url=course.url if course else "",
        pass_mark_percent=attempt.pass_mark_percent or (test.pass_mark_percent if test else 0),
        questions=tuple(questions),
        question_count=len(attempt.question_ids),
        right_count=len(attempt.right_question_ids),
        score_percent=attempt.score_percent,
        passed=attempt.passed,
        submitted_at=attempt.submitted_at,
        course_complete=attempt.is_submitted
        and CourseCompletion.objects.filter(
            user_id=attempt.user_id, course_id=attempt.course_id
        ).exists(),
        attempts=attempts,
        attempt_number=len(handed_in) + (0 if attempt.is_submitted else 1),
        max_attempts=test.max_attempts if test else 0,
        answers_shown=answers_shown,
        allowance=allowance if attempt.is_submitted else None,
        provider=catalog_api.course_provider_get(course_id=attempt.course_id)
        if attempt.is_submitted and out_of_attempts
        else None,
    )


def _sheet_questions(attempt: TestAttempt, test, chosen) -> list[SheetQuestion]:
    """The attempt's questions in its order, with its answer order and what was chosen; a
    question removed from the test since is left out."""
    by_id = test.by_id if test else {}
    right_ids = set(attempt.right_question_ids)
    questions = []
    for number, question_id in enumerate(attempt.question_ids, start=1):
        question = by_id.get(question_id)
        if question is None:
            continue
        options = {option.id: option for option in question.options}
        shown = attempt.option_orders.get(str(question_id), [])
        questions.append(
            SheetQuestion(
                id=question_id,
                number=number,
                text=question.text,
                multiple=question.multiple,
                options=tuple(options[option_id] for option_id in shown if option_id in options),
                chosen=frozenset(chosen.get(str(question_id), ())),
                right=(question_id in right_ids) if attempt.is_submitted else None,
                explanation=question.explanation if attempt.is_submitted else "",
            )
        )
    return questions


def _attempt_summaries(handed_in) -> tuple[AttemptSummary, ...]:
    return tuple(
        AttemptSummary(
            row.pk,
            row.submitted_at,
            row.score_percent,
            row.passed,
            _result_url(row.episode_id, row.pk),
        )
        for row in handed_in
    )


@dataclass(frozen=True)
class RetakeRefusal:
    """The test page for a learner who may not start an attempt now."""

    episode_id: int
    episode_title: str
    episode_url: str
    course_title: str
    course_url: str
    message: str
    passed: bool
    latest_result_url: str
    provider: catalog_api.ProviderContact | None


def retake_refusal(*, user, refused: RetakeRefused) -> RetakeRefusal:
    """Why the learner cannot take the test now, when they can, and whom to ask if never."""
    allowance = refused.allowance
    where = catalog_api.watchable_get(course_id=refused.course_id, episode_id=refused.episode_id)
    course = catalog_api.watchable_get(course_id=refused.course_id)
    latest = (
        TestAttempt.objects.filter(
            user=user, episode_id=refused.episode_id, submitted_at__isnull=False
        )
        .order_by("-submitted_at", "-pk")
        .first()
    )
    return RetakeRefusal(
        episode_id=refused.episode_id,
        episode_title=where.title if where else "",
        episode_url=where.url if where else "",
        course_title=course.title if course else "",
        course_url=course.url if course else "",
        message=allowance.message,
        passed=allowance.passed,
        latest_result_url=_result_url(latest.episode_id, latest.pk) if latest else "",
        provider=catalog_api.course_provider_get(course_id=refused.course_id)
        if allowance.out_of_attempts and not allowance.passed
        else None,
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
    max_attempts: int = 0
    may_start: bool = True
    message: str = ""  # why the learner cannot start an attempt now


def episode_test_summary(
    *, user, episode_id: int, now: datetime | None = None
) -> EpisodeTestSummary | None:
    """What the episode page says about its end test; None for an episode without one or that
    is not live."""
    test = catalog_api.end_test_get(episode_id=episode_id)
    if test is None or not test.questions:
        return None
    if catalog_api.episode_for_playback(episode_id) is None:
        return None
    handed_in = []
    if user.is_authenticated:
        handed_in = list(
            TestAttempt.objects.filter(
                user=user, episode_id=episode_id, submitted_at__isnull=False
            ).only("pk", "submitted_at", "score_percent", "passed")
        )
    allowance = attempt_allowance(test=test, handed_in=handed_in, now=now or timezone.now())
    return EpisodeTestSummary(
        episode_id=episode_id,
        has_questions=bool(test.questions),
        questions_per_attempt=test.attempt_size,
        pass_mark_percent=test.pass_mark_percent,
        attempts=len(handed_in),
        best_score_percent=max((row.score_percent for row in handed_in), default=None),
        passed=allowance.passed,
        url=reverse("playback:test", args=[episode_id]),
        max_attempts=test.max_attempts,
        may_start=allowance.may_start,
        message="" if allowance.passed else allowance.message,
    )
