"""What the questions to the panel look like to those who read them (decision 17).

Reading costs the same at 20,000 viewers as at 20: one shared snapshot per session lives in the
cache and is rebuilt by a single request (a short lock) once it is a few seconds old, at once
after a moderator's move, and a few seconds after votes. Each build is also published beside
the stream's playlists (``questions.json``), where storage or the CDN serves it under the
viewer's stream cookie: a viewer who has not taken part reads the list without reaching the app.
A viewer's own part (their questions waiting for the moderator, their votes) is read from the
app, only by viewers who took part. Who reads comes from a signed pass bound to their sign-in
cookie, so a viewer reading a warm snapshot from the app costs no query either.
"""

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db.models import Count
from django.utils import timezone

from lms.queue import task_enqueue

from .models import LiveSession, LiveStream, Question, QuestionVote
from .streaming.replay import stream_prefix

Status = Question.Status
SNAPSHOT_KEY = "live:questions:{}:snapshot"
REBUILD_LOCK_KEY = "live:questions:{}:rebuilding"
SOON_KEY = "live:questions:{}:publish-soon"
SNAPSHOT_FILE = "questions.json"  # beside the stream's master playlist
VIEWER_KEY = "live:questions:{}:viewer:{}"
KEEP_SECONDS = 6 * 60 * 60  # longer than any webinar: a snapshot goes stale, it does not vanish
REBUILD_LOCK_SECONDS = 5
LIST_LIMIT = 200  # a panel answers a few dozen; the list stays small to send every few seconds
VISIBLE = (Status.APPROVED, Status.ANSWERED, Status.ANSWERED_LIVE)
PASS_SALT = "live.questions"
PASS_SECONDS = 15 * 60  # after this one full check (sign-in, place) again, then a new pass


def session_takes_questions(session: LiveSession, now: datetime | None = None) -> bool:
    """Open from the waiting room until the stream ends (or, with no stream on air, the planned
    end); never once staff closed the session."""
    if session.is_closed:
        return False
    stream = LiveStream.objects.filter(session=session).only("state").first()
    if stream is not None and stream.state == LiveStream.State.ENDED:
        return False
    if stream is not None and stream.state == LiveStream.State.LIVE:
        return True
    return (now or timezone.now()) <= session.ends_at


def _with_votes(questions):
    return questions.annotate(vote_count=Count("votes"))


def _shown(question: Question) -> dict:
    return {
        "id": question.pk,
        "text": question.text,
        "votes": question.vote_count,
        "status": question.status,
        "answer": question.answer,
    }


def questions_snapshot_build(session_id: int) -> dict:
    """The list every viewer sees: open questions by votes, then the answered ones, latest
    answer first. Authors are not named."""
    session = LiveSession.objects.get(pk=session_id)
    visible = _with_votes(Question.objects.filter(session_id=session_id, status__in=VISIBLE))
    open_first = visible.filter(status=Status.APPROVED).order_by("-vote_count", "created_at")
    answered = visible.exclude(status=Status.APPROVED).order_by("-answered_at", "-pk")
    questions = [_shown(q) for q in open_first[:LIST_LIMIT]]
    questions += [_shown(q) for q in answered[: LIST_LIMIT - len(questions)]]
    return {
        "built_at": time.time(),
        "open": session_takes_questions(session),
        "questions": questions,
    }


def questions_snapshot_refresh(session_id: int) -> dict:
    """Build the snapshot, keep it in the cache and publish it beside the stream."""
    snapshot = questions_snapshot_build(session_id)
    cache.set(SNAPSHOT_KEY.format(session_id), snapshot, KEEP_SECONDS)
    stream = LiveStream.objects.filter(session_id=session_id).first()
    if stream is not None:
        published = snapshot | {"refresh": settings.LIVE_QUESTIONS_SNAPSHOT_SECONDS}
        name = f"{stream_prefix(stream)}/{SNAPSHOT_FILE}"
        storages["videos"].save(name, ContentFile(json.dumps(published).encode()))
    return snapshot


def questions_snapshot_soon(session_id: int) -> None:
    """Votes changed the counts: the snapshot is built and published again once, within the
    snapshot's seconds, however many votes come in meanwhile."""
    seconds = settings.LIVE_QUESTIONS_SNAPSHOT_SECONDS
    if cache.add(SOON_KEY.format(session_id), 1, seconds):
        task_enqueue("live.tasks.questions_snapshot_task", session_id, countdown=seconds)


def questions_snapshot(session_id: int) -> dict:
    """The shared snapshot. When it is stale, the one request that takes the lock rebuilds it
    and the others serve the one they have; only a cold cache makes a reader build."""
    snapshot = cache.get(SNAPSHOT_KEY.format(session_id))
    if snapshot is None:
        return questions_snapshot_refresh(session_id)
    stale = time.time() - snapshot["built_at"] >= settings.LIVE_QUESTIONS_SNAPSHOT_SECONDS
    lock = REBUILD_LOCK_KEY.format(session_id)
    if stale and cache.add(lock, 1, REBUILD_LOCK_SECONDS):
        try:
            snapshot = questions_snapshot_refresh(session_id)
        finally:
            cache.delete(lock)
    return snapshot


def snapshot_age_seconds(snapshot: dict) -> float:
    return round(max(0.0, time.time() - snapshot["built_at"]), 1)


# --- The viewer's own part ----------------------------------------------------------------


def viewer_questions_build(*, session_id: int, user_id: int) -> dict:
    own = Question.objects.filter(session_id=session_id, author_id=user_id).exclude(
        status=Status.MERGED
    )
    pending = [
        {"id": q.pk, "text": q.text}
        for q in own.order_by("created_at")
        if q.status == Status.PENDING
    ]
    voted = QuestionVote.objects.filter(voter_id=user_id, question__session_id=session_id)
    return {
        "pending": pending,
        "own": sorted(q.pk for q in own),
        "voted": sorted(voted.values_list("question_id", flat=True)),
    }


def viewer_questions(*, session_id: int, user_id: int) -> dict:
    """The viewer's pending questions, their own question ids and the ones they voted for."""
    key = VIEWER_KEY.format(session_id, user_id)
    part = cache.get(key)
    if part is None:
        part = viewer_questions_build(session_id=session_id, user_id=user_id)
        cache.set(key, part, KEEP_SECONDS)
    return part


def viewer_questions_forget(*, session_id: int, user_ids) -> None:
    """Their part changed (a post, a vote, a moderator's move): built again at their next read."""
    cache.delete_many([VIEWER_KEY.format(session_id, user_id) for user_id in set(user_ids)])


# --- Who reads: the pass ------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionsPass:
    user_id: int
    took_part: bool  # posted or voted: has a part of their own to read


def _sign_in_digest(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:20]


def questions_pass_issue(*, session_id: int, user_id: int, session_key: str, took_part: bool):
    """A signed pass naming the viewer, valid only with the sign-in cookie it was given with
    (a new sign-in, another person on the same browser, gets none of it)."""
    data = {"s": session_id, "u": user_id, "k": _sign_in_digest(session_key), "p": int(took_part)}
    return signing.dumps(data, salt=PASS_SALT, compress=True)


def questions_pass_read(value: str | None, *, session_id: int, session_key: str | None):
    if not value or not session_key:
        return None
    try:
        data = signing.loads(value, salt=PASS_SALT, max_age=PASS_SECONDS)
    except signing.BadSignature:
        return None
    if data.get("s") != session_id or data.get("k") != _sign_in_digest(session_key):
        return None
    return QuestionsPass(user_id=data["u"], took_part=bool(data.get("p")))


def viewer_took_part(*, session_id: int, user_id: int) -> bool:
    return (
        Question.objects.filter(session_id=session_id, author_id=user_id).exists()
        or QuestionVote.objects.filter(voter_id=user_id, question__session_id=session_id).exists()
    )


# --- The moderator's lists ----------------------------------------------------------------


def questions_for_moderation(*, session_id: int) -> dict[str, list[Question]]:
    """Waiting (oldest first), on the list (by votes) and answered (latest first)."""
    questions = _with_votes(Question.objects.filter(session_id=session_id))
    return {
        "pending": list(questions.filter(status=Status.PENDING).order_by("created_at", "pk")),
        "approved": list(
            questions.filter(status=Status.APPROVED).order_by("-vote_count", "created_at")
        ),
        "answered": list(
            questions.filter(status__in=(Status.ANSWERED, Status.ANSWERED_LIVE)).order_by(
                "-answered_at", "-pk"
            )
        ),
    }
