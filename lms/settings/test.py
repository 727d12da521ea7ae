"""Fast, deterministic settings for the test suite; services still come from the environment."""

import os
import tempfile

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("LEERSTROOM_VAR_DIR", tempfile.mkdtemp(prefix="leerstroom-test-"))
# Faster x264 presets: the tests check the ladder's shape, keyframes, segments and timing, not
# its picture quality per bit (also in the Celery workers and encoders the tests start, which
# read these settings too). On demand superfast, the fastest that still writes the High profile
# the players are told of; live ultrafast, as a presenter's webinar must keep real time.
os.environ.setdefault("PLAYBACK_X264_PRESET", "superfast")
os.environ.setdefault("LIVE_X264_PRESET", "ultrafast")


def _services_of_this_worker() -> None:
    """With pytest-xdist, worker n takes the two Redis databases 2n below the run's pair and a
    bucket of its own (pytest-django gives it its own database). Written to the environment, so
    that the Celery workers and servers the tests start use the same."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker or os.environ.get("LEERSTROOM_TEST_WORKER") == worker:
        return
    os.environ["LEERSTROOM_TEST_WORKER"] = worker
    offset = 2 * int(worker.removeprefix("gw"))
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        base, _, database = os.environ.get(name, "").rpartition("/")
        if base.startswith("redis") and database.isdigit():
            os.environ[name] = f"{base}/{int(database) - offset}"
    if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        os.environ["AWS_STORAGE_BUCKET_NAME"] += f"-{worker}"


_services_of_this_worker()

from .base import *  # noqa: E402, F403
from .base import LOGGING  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# Tests of the buffer switch it on themselves.
PLAYBACK_HEARTBEAT_BUFFER = False
LIVE_PRESENCE_BUFFER = False
# One process, its cache emptied before every test: the page cache is on, as in production.
CATALOG_PAGE_CACHE = True
CELERY_TASK_EAGER_PROPAGATES = True
LOGGING["root"]["level"] = "WARNING"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
