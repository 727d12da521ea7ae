"""The QR code at the door of a classroom session: a signed address naming the session, which a
registered learner opens on their phone to scan in (``presence.door_check_in`` checks the
time and the place)."""

import segno
from django.conf import settings
from django.core import signing
from django.urls import reverse

DOOR_SALT = "live.door"


def door_token(*, session_id: int) -> str:
    return signing.dumps(session_id, salt=DOOR_SALT)


def door_session_id(token: str) -> int | None:
    """The session a door token names; None when it was not signed here or is damaged."""
    if len(token) > 200:
        return None
    try:
        session_id = signing.loads(token, salt=DOOR_SALT)
    except signing.BadSignature:
        return None
    return session_id if isinstance(session_id, int) else None


def door_url(*, session_id: int) -> str:
    path = reverse("live:door", args=[door_token(session_id=session_id)])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def door_qr_svg(url: str) -> str:
    # Medium error correction survives a crease or a smudge on paper; inline SVG stays sharp.
    return segno.make(url, error="m", micro=False).svg_inline(
        scale=6, border=2, omitsize=True, dark="#10151c"
    )
