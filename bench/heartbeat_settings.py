"""Production settings for the heartbeat benchmark, plus one minimal view (``heartbeat_urls``)
that measures what the stack costs before any product code runs."""

from lms.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.heartbeat_urls"
