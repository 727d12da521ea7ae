"""Live webinars: the ingest server, stream keys and the live ladder (decision 17)."""

from .environment import env, env_bool, env_int

# nginx with libnginx-mod-rtmp, configured by `manage.py live_ingest_config` into var/live/.
LIVE_NGINX_BINARY = env("LIVE_NGINX_BINARY", "/usr/sbin/nginx")
LIVE_RTMP_HOST = env("LIVE_RTMP_HOST", "127.0.0.1")  # where nginx listens
LIVE_RTMP_PORT = env_int("LIVE_RTMP_PORT", 1935)
# What editors give the presenter: rtmp://<LIVE_INGEST_PUBLIC_HOST>:<port>/live
LIVE_INGEST_PUBLIC_HOST = env("LIVE_INGEST_PUBLIC_HOST", "localhost")
# Where nginx reaches Django for on_publish / on_publish_done (loopback only).
LIVE_CALLBACK_URL = env("LIVE_CALLBACK_URL", "http://127.0.0.1:8000")

# A key works from this long before the start until this long after the planned end.
LIVE_KEY_EARLY_MINUTES = env_int("LIVE_KEY_EARLY_MINUTES", 30)
LIVE_KEY_LATE_MINUTES = env_int("LIVE_KEY_LATE_MINUTES", 60)
# A presenter who drops out and publishes again within this time continues the same stream.
LIVE_RECONNECT_GRACE_SECONDS = env_int("LIVE_RECONNECT_GRACE_SECONDS", 60)

# In production a CDN (CloudFront over the video bucket) serves the webinar's playlists and
# segments: its address, the key pair CloudFront checks the viewers' signed cookies with, and
# the domain the cookies are set for (shared by the site and the CDN, e.g. .leerstroom.nl).
# Empty: Django serves them under its own signed cookie (development, a classroom).
LIVE_CDN_URL = env("LIVE_CDN_URL", "")
LIVE_CDN_KEY_PAIR_ID = env("LIVE_CDN_KEY_PAIR_ID", "")
LIVE_CDN_PRIVATE_KEY_FILE = env("LIVE_CDN_PRIVATE_KEY_FILE", "")
LIVE_CDN_COOKIE_DOMAIN = env("LIVE_CDN_COOKIE_DOMAIN", "")

# The live ladder: short segments (one GOP each) for low latency, a DVR window viewers can seek in.
# A player starts three segments from the live end (Apple's HLS rules, hls.js's default), so
# one-second segments keep a viewer about three to four seconds behind the presenter.
LIVE_SEGMENT_SECONDS = 1
LIVE_DVR_SECONDS = env_int("LIVE_DVR_SECONDS", 2 * 60 * 60)
# x264's superfast keeps a 1080p30 ladder in real time on ~0.8 of a core, with room to catch up
# after a busy moment (veryfast needs the whole core and stays behind; bench/live.py).
LIVE_X264_PRESET = env("LIVE_X264_PRESET", "superfast")
# Frame threads per rung (not zerolatency's slices, which fall behind when the machine is busy:
# decision 17); each adds a frame of delay, so a large machine does not get dozens.
LIVE_X264_THREADS = env_int("LIVE_X264_THREADS", 4)
# What one live encoder makes at most, whatever the presenter sends: 4K at 120 fps becomes the
# ladder up to 1080p at 30 fps (never upscaled), which one core encodes in real time.
LIVE_MAX_HEIGHT = env_int("LIVE_MAX_HEIGHT", 1080)
LIVE_MAX_FPS = env_int("LIVE_MAX_FPS", 30)
# How often the watch page reports a learner present (each minute of a session counts once).
LIVE_PRESENCE_BEAT_SECONDS = env_int("LIVE_PRESENCE_BEAT_SECONDS", 20)
# Questions to the panel: the shared list is rebuilt at most this often per session; each viewer
# may post and vote this often per minute.
LIVE_QUESTIONS_SNAPSHOT_SECONDS = env_int("LIVE_QUESTIONS_SNAPSHOT_SECONDS", 3)
LIVE_QUESTIONS_PER_MINUTE = env_int("LIVE_QUESTIONS_PER_MINUTE", 5)
LIVE_QUESTION_VOTES_PER_MINUTE = env_int("LIVE_QUESTION_VOTES_PER_MINUTE", 60)
# With Redis, a beat is counted there (one round trip, no database write) and the minutes are
# merged into the database every few seconds and when the session closes (decision 16).
LIVE_PRESENCE_BUFFER = env_bool("LIVE_PRESENCE_BUFFER", bool(env("REDIS_URL", "")))
LIVE_PRESENCE_FLUSH_SECONDS = 15.0
