"""What the live player talks to (issue 19 builds the player itself): a heartbeat that counts
the learner's minutes and hands over the presence check to answer, and the answer. JSON in and
out; a refusal carries its reason."""

import json
from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import LiveSession
from ..presence_online import presence_beat, presence_check_answer

BODY_MAX_BYTES = 4 * 1024
# The reasons a service refuses with, and the status each is answered with.
CONFLICTS = {"session_closed", "answered_twice", "too_late", "not_open"}


def _refuse(status: int, reason) -> JsonResponse:
    return JsonResponse({"reason": str(reason)}, status=status)


def _refusal(error: ValidationError) -> JsonResponse:
    status = 409 if error.code in CONFLICTS else 403 if error.code == "not_registered" else 400
    return _refuse(status, " ".join(error.messages))


def _json_body(request) -> dict | None:
    if len(request.body) > BODY_MAX_BYTES:
        return None
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


@require_POST
def heartbeat(request, session_id: int):
    """The learner is watching the live session: 200 with the minutes counted and the check
    to answer now (or null)."""
    if not request.user.is_authenticated:
        return _refuse(403, _("Sign in to take part."))
    try:
        answer = presence_beat(
            session_id=session_id, user=request.user, session_key=request.session.session_key or ""
        )
    except LiveSession.DoesNotExist:
        return _refuse(404, _("This session does not exist."))
    except ValidationError as error:
        return _refusal(error)
    return JsonResponse(asdict(answer))


@require_POST
def check_answer(request, check_id: int):
    """{"option": 1} for a poll, {} for "still watching?"; 201 when counted."""
    if not request.user.is_authenticated:
        return _refuse(403, _("Sign in to take part."))
    data = _json_body(request)
    if data is None:
        return _refuse(400, _("The request is not valid JSON."))
    option = data.get("option")
    if isinstance(option, bool):
        option = None
    try:
        presence_check_answer(check_id=check_id, user=request.user, option=option)
    except ValidationError as error:
        if error.code == "no_check":
            return _refuse(404, " ".join(error.messages))
        return _refusal(error)
    return JsonResponse({"answered": True}, status=201)
