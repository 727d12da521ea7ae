"""Watching a webinar: the page (a waiting room with a countdown, the live player, or the
replay) checks the viewer once and hands their player a cookie for the stream's files, which
are then served by path without a query (decision 17)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponseForbidden
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from playback import api as playback_api

from ..registration import paid_webinar_refusal
from ..selectors import session_viewer_may_watch
from ..streaming.delivery import stream_file_name, viewer_cookie_admits, viewer_cookie_set
from ..watch_facts import WatchFacts, session_watch_facts
from .questions import questions_panel

# Before the start the learner waits on this page, and the minutes that count begin at the start.
PRESENCE_STATES = {"waiting", "starting", "live"}


def _presence(facts: WatchFacts, state: str) -> dict | None:
    """What the page needs to report the learner present and to show the moderator's checks;
    None where presence is not counted online."""
    if state not in PRESENCE_STATES or not facts.counts_online:
        return None
    return {
        "beat_seconds": settings.LIVE_PRESENCE_BEAT_SECONDS,
        "strings": {
            "minutes": _("Present: %(online)s of %(planned)s minutes"),
            "stillWatching": _("Yes, I am still watching"),
            "secondsLeft": _("%(seconds)s seconds left to answer"),
            "thanks": _("Thank you: your answer counts."),
            "tooLate": _("The time to answer is up."),
            "failed": _("Your answer could not be sent; try again."),
            "offline": _("No connection: your answer was not sent; try again."),
        },
    }


@login_required
@require_GET
def watch(request, session_id: int):
    """The session, its course and its stream come from the shared facts (watch_facts.py): at
    the start of a webinar each viewer costs only the check of their own place."""
    facts = session_watch_facts(session_id)
    if facts is None:
        raise Http404
    refusal = paid_webinar_refusal(user=request.user, course=facts.course)
    if refusal:
        context = {"session": facts, "message": refusal}
        return render(request, "live/watch_refused.html", context, status=403)
    if not session_viewer_may_watch(request.user, facts):
        raise PermissionDenied
    stream = facts.stream
    state = facts.state()
    response = render(
        request,
        "live/watch.html",
        {
            "session": facts,
            "course": facts.course,
            "state": state,
            "master_url": stream.master_url if stream else "",
            "questions_url": stream.questions_url if stream else "",
            "presence": _presence(facts, state),
            "questions": questions_panel(),
            "replay_url": stream.replay_url if stream and state == "replay" else "",
        },
    )
    if stream is not None:
        viewer_cookie_set(
            response,
            stream_uuid=stream.uuid,
            until=stream.cookie_until,
            user=request.user,
            secure=request.is_secure(),
        )
    return response


@require_GET
def stream_file(request, stream_uuid, path: str):
    """A playlist or segment of a live stream, for a player holding the stream's cookie."""
    name = stream_file_name(
        stream_uuid=stream_uuid, path=path, skip=request.GET.get("_HLS_skip", "")
    )
    if name is None:
        raise Http404
    cookie = request.COOKIES.get(f"live_{stream_uuid.hex[:12]}")
    if not viewer_cookie_admits(stream_uuid=stream_uuid, value=cookie, max_age=60 * 60 * 24 * 40):
        return HttpResponseForbidden("no access to this stream")
    storage = storages["videos"]
    if not storage.exists(name):
        raise Http404
    response = FileResponse(storage.open(name), content_type=playback_api.content_type_for(name))
    response["Cache-Control"] = playback_api.cache_control_for(name)
    return response
