"""Production: every secret comes from the environment and HTTPS is enforced."""

import os

os.environ.setdefault("DEBUG", "false")

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import REDIS_URL, STORAGES
from .environment import env_bool, env_int, env_list, env_required

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    env_required("ALLOWED_HOSTS")
if not REDIS_URL:
    raise ImproperlyConfigured(
        "The environment variable REDIS_URL is required in production: sign-in rate limits and "
        "lockouts are counted in the cache, which every process must share."
    )

STORAGES["staticfiles"] = {
    "BACKEND": "lms.static_storage.StaticFilesStorage",
}

# TLS terminates at the load balancer, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The ingest's callbacks come from nginx on loopback over plain HTTP (and are refused from
# anywhere else): a redirect would read to nginx as "publish under another name".
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^live/ingest/"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# Wagtail's preview panel shows the page in a frame of the same origin; other origins are refused.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]  # the check asks for DENY, which breaks the preview
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
