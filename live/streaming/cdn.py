"""The CDN in front of a webinar's files (decision 17). With ``LIVE_CDN_URL`` set, the player
fetches playlists and segments from the CDN (CloudFront over the video bucket), never from
Django: the watch page checks the viewer once and hands them CloudFront's three signed cookies,
a custom policy for ``<cdn>/live/<stream uuid>/hls/*`` until the replay's time is up. The CDN
checks the signature with the public key it holds and serves from its cache, so 20,000 viewers
refreshing a playlist every 2 s cost the app tier nothing.

CloudFront's format: the policy is compact JSON; the signature is RSA with SHA-1 (PKCS #1 v1.5)
over it, as CloudFront asks; both are base64 with ``+ = /`` written ``- _ ~``."""

import base64
import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

POLICY = "CloudFront-Policy"
SIGNATURE = "CloudFront-Signature"
KEY_PAIR_ID = "CloudFront-Key-Pair-Id"


def cdn_enabled() -> bool:
    return bool(settings.LIVE_CDN_URL)


def cdn_stream_base(stream_uuid) -> str:
    """The stream's folder on the CDN, e.g. https://live.example.nl/live/<uuid>/hls/."""
    return f"{settings.LIVE_CDN_URL.rstrip('/')}/live/{stream_uuid}/hls/"


def _cloudfront_base64(data: bytes) -> str:
    return base64.b64encode(data).decode().translate(str.maketrans("+=/", "-_~"))


def cloudfront_base64_decode(text: str) -> bytes:
    return base64.b64decode(text.translate(str.maketrans("-_~", "+=/")))


@lru_cache(maxsize=1)
def _private_key(path: str):
    try:
        pem = Path(path).read_bytes()
    except OSError as error:
        raise ImproperlyConfigured(f"LIVE_CDN_PRIVATE_KEY_FILE cannot be read: {error}") from error
    return serialization.load_pem_private_key(pem, password=None)


def cdn_cookie_values(*, stream_uuid, until: datetime) -> dict[str, str]:
    """CloudFront's signed cookies that admit a viewer to the stream's files until ``until``."""
    policy = json.dumps(
        {
            "Statement": [
                {
                    "Resource": f"{cdn_stream_base(stream_uuid)}*",
                    "Condition": {"DateLessThan": {"AWS:EpochTime": int(until.timestamp())}},
                }
            ]
        },
        separators=(",", ":"),
    ).encode()
    key = _private_key(settings.LIVE_CDN_PRIVATE_KEY_FILE)
    signature = key.sign(policy, padding.PKCS1v15(), hashes.SHA1())  # what CloudFront checks
    return {
        POLICY: _cloudfront_base64(policy),
        SIGNATURE: _cloudfront_base64(signature),
        KEY_PAIR_ID: settings.LIVE_CDN_KEY_PAIR_ID,
    }
