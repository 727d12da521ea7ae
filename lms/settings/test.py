"""Fast, deterministic settings for the test suite; services still come from the environment."""

import os
import tempfile

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("LEERSTROOM_VAR_DIR", tempfile.mkdtemp(prefix="leerstroom-test-"))

from .base import *  # noqa: F403
from .base import LOGGING

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# Tests of the buffer switch it on themselves.
PLAYBACK_HEARTBEAT_BUFFER = False
# One process, its cache emptied before every test: the page cache is on, as in production.
CATALOG_PAGE_CACHE = True
CELERY_TASK_EAGER_PROPAGATES = True
LOGGING["root"]["level"] = "WARNING"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
