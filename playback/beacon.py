"""The heartbeat fast path, in front of Django.

At webinar scale most requests are heartbeats, and Django's middleware (session, user, locale,
security headers) costs several times what recording a beat does. With the Redis buffer on, a
well-formed beat sent with the session cookie that started its playback session is checked and
queued by one Redis script (``heartbeat_buffer_by_cookie``) and answered 204 here. Anything
else — a malformed beat, an unknown or signed-out session, a session superseded by a newer one,
the buffer off — goes on to Django unchanged, which gives the full answer (400, 403, 404, 409)
with its reason.
"""

import io
import re

from django.conf import settings
from django.urls import reverse

from .services.heartbeat_buffer import (
    MAX_BODY_BYTES,
    buffering_enabled,
    heartbeat_buffer_by_cookie,
)


class HeartbeatFastPath:
    def __init__(self, application):
        self.application = application
        self._path = None
        self._cookie = re.compile(rf"(?:^|;\s*){re.escape(settings.SESSION_COOKIE_NAME)}=([^;]+)")

    def __call__(self, environ, start_response):
        if self._path is None:
            self._path = reverse("playback:heartbeat")
        if (
            environ.get("PATH_INFO") != self._path
            or environ.get("REQUEST_METHOD") != "POST"
            or not buffering_enabled()
        ):
            return self.application(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY_BYTES:
            return self.application(environ, start_response)
        body = environ["wsgi.input"].read(length)
        cookie = self._cookie.search(environ.get("HTTP_COOKIE", ""))
        if cookie and heartbeat_buffer_by_cookie(session_key=cookie.group(1), body=body):
            start_response("204 No Content", [("Cache-Control", "no-store")])
            return [b""]
        environ["wsgi.input"] = io.BytesIO(body)  # Django reads the body again
        return self.application(environ, start_response)
