"""Questions to the panel: viewers post and vote, moderators move a question through its states,
one function per move (pending → approved → answered / answered live; pending or approved →
hidden; any → merged). Every moderator's move rebuilds the shared snapshot after the commit."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.ratelimit import rate_limit_allows

from .models import LiveSession, Question, QuestionVote
from .models.questions import QUESTION_MAX_LENGTH
from .question_snapshot import (
    questions_snapshot_refresh,
    questions_snapshot_soon,
    session_takes_questions,
    viewer_questions_forget,
)
from .registration import paid_webinar_refusal
from .selectors import session_viewer_may_watch
from .watch_facts import session_watch_facts

Status = Question.Status
ANSWER_MAX_LENGTH = 2000
RATE_WINDOW_SECONDS = 60


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def viewer_may_take_part(user, session: LiveSession) -> bool:
    """Who may open the watch page: a place at the session (or staff who hold sessions), and
    for a paid webinar still access to the course."""
    if not session_viewer_may_watch(user, session):
        return False
    facts = session_watch_facts(session.pk)
    return not paid_webinar_refusal(user=user, course=facts.course if facts else None)


def _may_take_part(session: LiveSession, user) -> None:
    if not viewer_may_take_part(user, session):
        _refuse(_("Only those taking part in this session can ask or vote."), "not_allowed")


def _session_open(session: LiveSession) -> None:
    if not session_takes_questions(session):
        _refuse(_("This session has ended: it takes no more questions."), "session_ended")


def question_text_clean(text) -> str:
    text = " ".join(str(text or "").split())
    if not text:
        _refuse(_("Type your question first."), "empty")
    if len(text) > QUESTION_MAX_LENGTH:
        _refuse(
            _("A question can be at most %(max)s characters; yours has %(count)s.")
            % {"max": QUESTION_MAX_LENGTH, "count": len(text)},
            "too_long",
        )
    return text


def question_post(*, session_id: int, user, text) -> Question:
    """A viewer's question, waiting for the moderator. Every attempt counts toward the limit,
    so a script posting 100 times a minute is stopped whatever it sends."""
    session = LiveSession.objects.get(pk=session_id)
    _may_take_part(session, user)
    limit = settings.LIVE_QUESTIONS_PER_MINUTE
    if not rate_limit_allows(f"live-question:{user.pk}", limit=limit, seconds=RATE_WINDOW_SECONDS):
        _refuse(
            _("You are asking more than %(count)s questions a minute; wait a moment and try again.")
            % {"count": limit},
            "rate_limited",
        )
    text = question_text_clean(text)
    _session_open(session)
    question = Question.objects.create(session=session, author=user, text=text)
    viewer_questions_forget(session_id=session.pk, user_ids=[user.pk])
    return question


@dataclass(frozen=True)
class VoteCount:
    session_id: int
    voted: bool  # the viewer's vote stands now
    votes: int


def question_vote_toggle(*, question_id: int, user) -> VoteCount:
    """A vote for a question on the list; the same viewer voting again takes the vote back."""
    question = Question.objects.select_related("session").get(pk=question_id)
    _may_take_part(question.session, user)
    limit = settings.LIVE_QUESTION_VOTES_PER_MINUTE
    if not rate_limit_allows(f"live-vote:{user.pk}", limit=limit, seconds=RATE_WINDOW_SECONDS):
        _refuse(
            _("You are voting more than %(count)s times a minute; wait a moment and try again.")
            % {"count": limit},
            "rate_limited",
        )
    if question.author_id == user.pk:
        _refuse(_("You cannot vote for your own question."), "own_question")
    if question.status != Status.APPROVED:
        _refuse(
            _("Only questions on the list that are not answered yet can be voted for."),
            "not_votable",
        )
    _session_open(question.session)
    taken_back, _rows = QuestionVote.objects.filter(question=question, voter=user).delete()
    if not taken_back:
        QuestionVote.objects.get_or_create(question=question, voter=user)
    viewer_questions_forget(session_id=question.session_id, user_ids=[user.pk])
    session_id = question.session_id
    transaction.on_commit(lambda: questions_snapshot_soon(session_id))
    return VoteCount(
        session_id=question.session_id, voted=not taken_back, votes=question.votes.count()
    )


# --- The moderator's moves ------------------------------------------------------------------


def _after_moderation(question: Question, user_ids) -> None:
    session_id = question.session_id
    transaction.on_commit(lambda: questions_snapshot_refresh(session_id))
    transaction.on_commit(
        lambda: viewer_questions_forget(session_id=session_id, user_ids=[*user_ids])
    )


def _move(question: Question, *, to: str, allowed_from, by, now: datetime | None) -> None:
    if question.status not in allowed_from:
        _refuse(
            _("The question stands at “%(status)s”: that cannot be done with it now.")
            % {"status": question.get_status_display()},
            "illegal_move",
        )
    question.status = to
    question.moderated_at = now or timezone.now()
    question.moderated_by = by


def _moved(question_id: int, *, to: str, allowed_from, by, now, **fields) -> Question:
    """The question moved (and ``fields`` set), its author's part and the snapshot renewed."""
    question = Question.objects.select_for_update().get(pk=question_id)
    _move(question, to=to, allowed_from=allowed_from, by=by, now=now)
    for name, value in fields.items():
        setattr(question, name, value)
    question.save(update_fields=["status", "moderated_at", "moderated_by", *fields])
    _after_moderation(question, [question.author_id])
    return question


@transaction.atomic
def question_approve(*, question_id: int, by, now: datetime | None = None) -> Question:
    return _moved(question_id, to=Status.APPROVED, allowed_from={Status.PENDING}, by=by, now=now)


@transaction.atomic
def question_reject(*, question_id: int, by, now: datetime | None = None) -> Question:
    """Not taken up, or taken off the list: the viewers no longer see it."""
    allowed = {Status.PENDING, Status.APPROVED}
    return _moved(question_id, to=Status.REJECTED, allowed_from=allowed, by=by, now=now)


@transaction.atomic
def question_answer(*, question_id: int, answer, by, now: datetime | None = None) -> Question:
    """An answer in text under the question (given again, it replaces the one before)."""
    answer = str(answer or "").strip()
    if not answer:
        _refuse(_("Type the answer first."), "empty")
    if len(answer) > ANSWER_MAX_LENGTH:
        _refuse(
            _("An answer can be at most %(max)s characters.") % {"max": ANSWER_MAX_LENGTH},
            "too_long",
        )
    now = now or timezone.now()
    allowed = {Status.APPROVED, Status.ANSWERED}
    return _moved(
        question_id,
        to=Status.ANSWERED,
        allowed_from=allowed,
        by=by,
        now=now,
        answer=answer,
        answered_at=now,
    )


@transaction.atomic
def question_mark_answered_live(*, question_id: int, by, now: datetime | None = None) -> Question:
    now = now or timezone.now()
    allowed = {Status.APPROVED, Status.ANSWERED}
    return _moved(
        question_id, to=Status.ANSWERED_LIVE, allowed_from=allowed, by=by, now=now, answered_at=now
    )


@transaction.atomic
def question_merge(*, question_id: int, into_id: int, by, now: datetime | None = None) -> Question:
    """A duplicate goes into the question it repeats. Its voters, and its author, now count for
    that question, each once; nobody counts for their own question."""
    if question_id == into_id:
        _refuse(_("A question cannot be merged into itself."), "merge_self")
    duplicate = Question.objects.select_for_update().get(pk=question_id)
    target = Question.objects.select_for_update().filter(pk=into_id).first()
    if target is None or target.session_id != duplicate.session_id:
        _refuse(_("Choose a question of the same session to merge into."), "merge_other_session")
    if target.status in (Status.MERGED, Status.REJECTED):
        _refuse(
            _("The question to merge into is hidden or merged itself; choose another."),
            "merge_target",
        )
    allowed = set(Status) - {Status.MERGED}
    _move(duplicate, to=Status.MERGED, allowed_from=allowed, by=by, now=now)
    supporters = set(duplicate.votes.values_list("voter_id", flat=True)) | {duplicate.author_id}
    already = set(target.votes.values_list("voter_id", flat=True)) | {target.author_id}
    QuestionVote.objects.bulk_create(
        [QuestionVote(question=target, voter_id=voter) for voter in supporters - already],
        ignore_conflicts=True,
    )
    duplicate.votes.all().delete()
    duplicate.merged_from.update(merged_into=target)  # earlier duplicates follow, no chains
    duplicate.merged_into = target
    duplicate.save(update_fields=["status", "moderated_at", "moderated_by", "merged_into"])
    _after_moderation(duplicate, supporters | {target.author_id})
    return duplicate
