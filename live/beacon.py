"""The presence beat's fast path, in front of Django (as playback's heartbeats have theirs).

A webinar's viewers beat every 20 s: at 20,000 that is 1,000 requests a second, and Django's
middleware, the session and the user cost several times what counting the minute does. With
Redis, a beat sent with a sign-in cookie the Django path has already admitted for this session,
while that Django session exists, is counted by the presence script and answered here. Anything
else — a cookie not seen yet, a signed-out session, a closed session, a check to hand over
(its words are in the learner's language), Redis off — goes on to Django unchanged.

It takes no CSRF token, as the heartbeat endpoint's beacons do not (decision 9): the session
cookie is SameSite=Lax, so a cross-site post arrives without it and goes to Django, which
refuses it.
"""

import json
import re

from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_CACHE_PREFIX
from django.core.cache import caches
from django.utils import timezone

from . import presence_buffer
from .presence_online import open_check_in

_PATH = re.compile(r"^/sessies/(\d{1,10})/aanwezig/$")
_SESSION_KEY_SHAPE = re.compile(r"^[a-z0-9]{8,64}$")


class PresenceFastPath:
    def __init__(self, application):
        self.application = application
        self._cookie = re.compile(rf"(?:^|;\s*){re.escape(settings.SESSION_COOKIE_NAME)}=([^;]+)")

    def __call__(self, environ, start_response):
        path = _PATH.match(environ.get("PATH_INFO", ""))
        if (
            path is None
            or environ.get("REQUEST_METHOD") != "POST"
            or not presence_buffer.buffering_enabled()
        ):
            return self.application(environ, start_response)
        cookie = self._cookie.search(environ.get("HTTP_COOKIE", ""))
        if cookie is None or not _SESSION_KEY_SHAPE.match(cookie.group(1)):
            return self.application(environ, start_response)
        body = beat_answer_by_cookie(session_id=int(path.group(1)), session_key=cookie.group(1))
        if body is None:
            return self.application(environ, start_response)
        start_response(
            "200 OK",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [body]


def beat_answer_by_cookie(*, session_id: int, session_key: str) -> bytes | None:
    now = timezone.now()
    session_cache_key = caches[settings.SESSION_CACHE_ALIAS].make_key(
        SESSION_CACHE_PREFIX + session_key
    )
    counted = presence_buffer.beat_by_cookie(
        session_id=session_id,
        session_key=session_key,
        session_cache_key=session_cache_key,
        now=now,
    )
    if counted is None or open_check_in(counted.checks, counted.answered, now) is not None:
        return None
    answer = {
        "minutes_online": counted.minutes_online,
        "minutes_planned": counted.minutes_planned,
        "check": None,
    }
    return json.dumps(answer).encode()
