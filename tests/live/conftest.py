"""The real ingest (nginx with the RTMP module) and a session's key, for every live test that
publishes with ffmpeg."""

from .test_ingest import ingest as ingest
from .test_ingest import issued as issued
