"""Endpoints the player talks to: start a playback session, and report heartbeats."""

import json

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import PlaybackSession
from .services.heartbeat_buffer import buffering_enabled, heartbeat_buffer, session_remember
from .services.progress import (
    HeartbeatRefused,
    NotPlayable,
    SessionSuperseded,
    heartbeat_parse,
    heartbeat_record,
    playback_session_start,
)

BODY_MAX_BYTES = 16 * 1024


def _refuse(status: int, reason, **details) -> JsonResponse:
    return JsonResponse({"reason": str(reason), **details}, status=status)


def _body(request):
    if len(request.body) > BODY_MAX_BYTES:
        raise HeartbeatRefused(_("The request is too large."))
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise HeartbeatRefused(_("The request is not valid JSON.")) from error


@require_POST
def session_start(request):
    if not request.user.is_authenticated:
        return _refuse(403, _("Sign in to watch."))
    try:
        data = _body(request)
        episode_id = data.get("episode") if isinstance(data, dict) else None
        if not isinstance(episode_id, int) or isinstance(episode_id, bool) or episode_id < 1:
            raise HeartbeatRefused(_("Say which episode is played."))
        started = playback_session_start(user=request.user, episode_id=episode_id)
        session = started.session
        if buffering_enabled():
            session_remember(
                session,
                session_key=request.session.session_key or "",
                superseded_ids=started.superseded_ids,
            )
    except HeartbeatRefused as refused:
        return _refuse(400, refused.reason)
    except NotPlayable:
        return _refuse(404, _("This episode cannot be played."))
    return JsonResponse({"session": str(session.pk), "duration": session.duration}, status=201)


# Pages send the last beat with navigator.sendBeacon, which cannot carry the CSRF header. A
# forged beat would need the playback session's random id, which only the learner's own page
# holds, and the session cookie is SameSite=Lax, so cross-site posts arrive signed out anyway.
@csrf_exempt
@require_POST
def heartbeat(request):
    """One heartbeat, as JSON; answers 204, or 400/403/404 with the reason, or 409 when the
    learner has since started this episode elsewhere."""
    if not request.user.is_authenticated:
        return _refuse(403, _("Sign in to watch."))
    try:
        beat = heartbeat_parse(_body(request))
        if buffering_enabled():
            heartbeat_buffer(
                user_id=request.user.pk,
                beat=beat,
                session_key=request.session.session_key or "",
            )
        else:
            heartbeat_record(user=request.user, beat=beat)
    except HeartbeatRefused as refused:
        return _refuse(400, refused.reason)
    except (PlaybackSession.DoesNotExist, ValidationError, ValueError):  # also: not a UUID
        return _refuse(404, _("This playback session does not exist."))
    except SessionSuperseded:
        return _refuse(409, _("You are now watching on another screen or tab."), superseded=True)
    return HttpResponse(status=204)
