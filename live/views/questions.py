"""Questions to the panel: the viewers' list (JSON, read from the shared snapshot), posting and
voting, the moderator's page with a form per question, and the presenter's view."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accreditation.api import onboarding_exempt
from catalog import api as catalog_api

from ..models import LiveSession, Question
from ..models.questions import QUESTION_MAX_LENGTH
from ..question_snapshot import (
    questions_for_moderation,
    questions_pass_issue,
    questions_pass_read,
    questions_snapshot,
    snapshot_age_seconds,
    viewer_questions,
    viewer_took_part,
)
from ..questions import (
    question_answer,
    question_approve,
    question_mark_answered_live,
    question_merge,
    question_post,
    question_reject,
    question_vote_toggle,
    viewer_may_take_part,
)
from .online import _json_body, _refuse

MODERATE = "live.moderate_session"
PRESENT = "live.present_session"
PASS_COOKIE = "live_questions"
# How a service's refusal is answered.
STATUS_OF = {"not_allowed": 403, "rate_limited": 429, "session_ended": 409, "not_votable": 409}


def questions_panel() -> dict:
    """What the watch page's questions panel needs besides its URLs."""
    return {
        "max_length": QUESTION_MAX_LENGTH,
        "strings": {
            "count": _("%(count)s of %(max)s characters"),
            "vote": _("Vote"),
            "voteLabel": _("Vote for this question (%(count)s votes now)"),
            "votedLabel": _("You voted for this question; press again to take your vote back"),
            "yours": _("Your question"),
            "waiting": _("Waiting for the moderator"),
            "answeredLive": _("Answered live"),
            "answer": _("Answer:"),
            "announce": _("New question on the list: %(text)s"),
            "sent": _("Sent: your question waits for the moderator."),
            "closed": _("This session takes no more questions."),
            "failed": _("That did not work; try again."),
            "offline": _("No connection: nothing was sent; try again."),
        },
    }


def _refusal(error: ValidationError) -> JsonResponse:
    return _refuse(STATUS_OF.get(error.code, 400), " ".join(error.messages))


def _pass_give(response, request, session_id: int, *, took_part: bool):
    value = questions_pass_issue(
        session_id=session_id,
        user_id=request.user.pk,
        session_key=request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""),
        took_part=took_part,
    )
    response.set_cookie(
        PASS_COOKIE,
        value,
        path=reverse("live:questions", args=[session_id]),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def _list(request, session_id: int):
    """Read with a valid pass: no session, no user, no query (a viewer who took part reads their
    own part from the cache). Without one: the full check, then a pass."""
    viewer = questions_pass_read(
        request.COOKIES.get(PASS_COOKIE),
        session_id=session_id,
        session_key=request.COOKIES.get(settings.SESSION_COOKIE_NAME),
    )
    fresh_pass = viewer is None
    if fresh_pass:
        if not request.user.is_authenticated:
            return _refuse(403, _("Sign in to take part."))
        session = LiveSession.objects.filter(pk=session_id).first()
        if session is None:
            return _refuse(404, _("This session does not exist."))
        if not viewer_may_take_part(request.user, session):
            return _refuse(403, _("Only those taking part in this session can ask or vote."))
        took_part = viewer_took_part(session_id=session_id, user_id=request.user.pk)
    else:
        took_part = viewer.took_part
    try:
        snapshot = questions_snapshot(session_id)
    except LiveSession.DoesNotExist:
        return _refuse(404, _("This session does not exist."))
    user_id = request.user.pk if fresh_pass else viewer.user_id
    mine = viewer_questions(session_id=session_id, user_id=user_id) if took_part else None
    response = JsonResponse(
        {
            "open": snapshot["open"],
            "age": snapshot_age_seconds(snapshot),
            "refresh": settings.LIVE_QUESTIONS_SNAPSHOT_SECONDS,
            "questions": snapshot["questions"],
            "pending": mine["pending"] if mine else [],
            "own": mine["own"] if mine else [],
            "voted": mine["voted"] if mine else [],
        }
    )
    if fresh_pass:
        _pass_give(response, request, session_id, took_part=took_part)
    return response


def _post(request, session_id: int):
    if not request.user.is_authenticated:
        return _refuse(403, _("Sign in to take part."))
    data = _json_body(request)
    if data is None:
        return _refuse(400, _("The request is not valid JSON."))
    try:
        question = question_post(session_id=session_id, user=request.user, text=data.get("text"))
    except LiveSession.DoesNotExist:
        return _refuse(404, _("This session does not exist."))
    except ValidationError as error:
        return _refusal(error)
    response = JsonResponse(
        {"id": question.pk, "text": question.text, "status": question.status}, status=201
    )
    return _pass_give(response, request, session_id, took_part=True)


@onboarding_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def questions(request, session_id: int):
    """GET: the list for this viewer; POST {"text": ...}: a question (201)."""
    return _list(request, session_id) if request.method == "GET" else _post(request, session_id)


@require_POST
def question_vote(request, question_id: int):
    """A vote for the question, or the vote taken back: {"voted": ..., "votes": ...}."""
    if not request.user.is_authenticated:
        return _refuse(403, _("Sign in to take part."))
    try:
        count = question_vote_toggle(question_id=question_id, user=request.user)
    except Question.DoesNotExist:
        return _refuse(404, _("This question does not exist."))
    except ValidationError as error:
        return _refusal(error)
    response = JsonResponse({"voted": count.voted, "votes": count.votes})
    return _pass_give(response, request, count.session_id, took_part=True)


# --- Staff ----------------------------------------------------------------------------------


def _session_page(request, session: LiveSession, template: str, context: dict):
    course = catalog_api.course_event_facts([session.course_id]).get(session.course_id)
    return render(request, template, {"session": session, "course": course, **context})


@login_required
@permission_required(MODERATE, raise_exception=True)
@require_GET
@never_cache
def moderation(request, session_id: int):
    session = get_object_or_404(LiveSession, pk=session_id)
    lists = questions_for_moderation(session_id=session.pk)
    return _session_page(request, session, "live/questions_moderation.html", lists)


MOVES = {
    "approve": (question_approve, gettext_lazy("Approved: viewers see the question now.")),
    "reject": (question_reject, gettext_lazy("The question is hidden from the viewers.")),
    "answer": (question_answer, gettext_lazy("The answer is under the question.")),
    "answered_live": (question_mark_answered_live, gettext_lazy("Marked as answered live.")),
    "merge": (question_merge, gettext_lazy("Merged: the votes are combined.")),
}
MOVE_FIELDS = {"answer": "answer", "merge": "into_id"}


@login_required
@permission_required(MODERATE, raise_exception=True)
@require_POST
def question_moderate(request, question_id: int):
    """One of the moderator's buttons for a question (the form field "action")."""
    question = get_object_or_404(Question, pk=question_id)
    action = request.POST.get("action", "")
    if action not in MOVES:
        return HttpResponseBadRequest(_("Choose what to do with the question."))
    move, done = MOVES[action]
    extra = {}
    if action in MOVE_FIELDS:
        value = request.POST.get(action if action == "answer" else "into", "")
        if action == "merge":
            value = int(value) if value.isdigit() else 0
        extra[MOVE_FIELDS[action]] = value
    try:
        move(question_id=question.pk, by=request.user, **extra)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(done))
    return redirect(f"{reverse('live:questions_moderation', args=[question.session_id])}#q-list")


@login_required
@require_GET
@never_cache
def presenter(request, session_id: int):
    """The approved questions by votes, in large type, read from the shared snapshot."""
    if not (request.user.has_perm(MODERATE) or request.user.has_perm(PRESENT)):
        raise PermissionDenied
    session = get_object_or_404(LiveSession, pk=session_id)
    snapshot = questions_snapshot(session.pk)
    shown = [q for q in snapshot["questions"] if q["status"] == Question.Status.APPROVED]
    answered = [q for q in snapshot["questions"] if q["status"] != Question.Status.APPROVED]
    context = {"questions": shown, "answered": answered, "refresh": 5}
    return _session_page(request, session, "live/questions_presenter.html", context)
