"""Watching a webinar: the page (a waiting room with a countdown, the live player, or the
replay) checks the viewer once and hands their player a cookie for the stream's files, which
are then served by path without a query (decision 17)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from catalog import api as catalog_api

from ..models import LiveSession
from ..registration import paid_webinar_refusal
from ..selectors import session_viewer_may_watch
from ..streaming.delivery import (
    session_watch_state,
    stream_file_name,
    stream_master_url,
    viewer_cookie_admits,
    viewer_cookie_set,
)
from ..streaming.keys import stream_of_session
from ..streaming.replay import replay_episode_url
from .questions import questions_panel

PLAYLIST_CACHE = "private, max-age=1"
SEGMENT_CACHE = "private, max-age=31536000, immutable"
CONTENT_TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".m4s": "video/iso.segment"}


# Before the start the learner waits on this page, and the minutes that count begin at the start.
PRESENCE_STATES = {"waiting", "starting", "live"}


def _presence(session: LiveSession, state: str) -> dict | None:
    """What the page needs to report the learner present and to show the moderator's checks;
    None where presence is not counted online."""
    if state not in PRESENCE_STATES or not session.rule.online:
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
    session = get_object_or_404(LiveSession, pk=session_id)
    refusal = paid_webinar_refusal(user=request.user, course_id=session.course_id)
    if refusal:
        context = {"session": session, "message": refusal}
        return render(request, "live/watch_refused.html", context, status=403)
    if not session_viewer_may_watch(request.user, session):
        raise PermissionDenied
    stream = stream_of_session(session.pk)
    state = session_watch_state(session, stream)
    course = catalog_api.course_event_facts([session.course_id]).get(session.course_id)
    response = render(
        request,
        "live/watch.html",
        {
            "session": session,
            "course": course,
            "state": state,
            "master_url": stream_master_url(stream) if stream else "",
            "presence": _presence(session, state),
            "questions": questions_panel(),
            "replay_url": replay_episode_url(stream) if state == "replay" else "",
        },
    )
    if stream is not None:
        viewer_cookie_set(response, stream=stream, user=request.user, secure=request.is_secure())
    return response


@require_GET
def stream_file(request, stream_uuid, path: str):
    """A playlist or segment of a live stream, for a player holding the stream's cookie."""
    name = stream_file_name(stream_uuid=stream_uuid, path=path)
    if name is None:
        raise Http404
    cookie = request.COOKIES.get(f"live_{stream_uuid.hex[:12]}")
    if not viewer_cookie_admits(stream_uuid=stream_uuid, value=cookie, max_age=60 * 60 * 24 * 40):
        return HttpResponseForbidden("no access to this stream")
    storage = storages["videos"]
    if not storage.exists(name):
        raise Http404
    suffix = name[name.rfind(".") :]
    response = FileResponse(storage.open(name), content_type=CONTENT_TYPES.get(suffix, "video/mp4"))
    response["Cache-Control"] = PLAYLIST_CACHE if suffix == ".m3u8" else SEGMENT_CACHE
    return response
