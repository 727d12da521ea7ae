"""The video pipeline's rules, as data (facts: Apple's HLS authoring specification)."""

from .environment import env, env_bool, env_int

FFMPEG_BINARY = env("FFMPEG_BINARY", "ffmpeg")
FFPROBE_BINARY = env("FFPROBE_BINARY", "ffprobe")

# The ladder, lowest first. A rung is used only when the source is at least that tall: never
# upscale. Bit rates in kbit/s; the peak is capped at 150 % of the target (VOD peak <= 200 %).
PLAYBACK_LADDER = [
    {"name": "360p", "height": 360, "video_kbps": 730},
    {"name": "540p", "height": 540, "video_kbps": 2000},
    {"name": "720p", "height": 720, "video_kbps": 3000},
    {"name": "1080p", "height": 1080, "video_kbps": 6000},
    {"name": "1440p", "height": 1440, "video_kbps": 9000},
    {"name": "2160p", "height": 2160, "video_kbps": 16000},
]
PLAYBACK_PEAK_FACTOR = 1.5
PLAYBACK_AUDIO_KBPS = 128
PLAYBACK_SEGMENT_SECONDS = 6
# The first few segments are shorter, so playback can start while the rest is encoded.
PLAYBACK_FIRST_SEGMENT_SECONDS = 2
PLAYBACK_SHORT_SEGMENTS = 5
PLAYBACK_GOP_SECONDS = 2
PLAYBACK_X264_PRESET = env("PLAYBACK_X264_PRESET", "veryfast")
# Videos at least this long (seconds; 0: never) are cut at keyframes into chunks of about
# PLAYBACK_CHUNK_SECONDS that every transcode worker can take a share of; shorter ones are
# encoded by one worker in one process.
PLAYBACK_CHUNKED_MIN_SECONDS = env_int("PLAYBACK_CHUNKED_MIN_SECONDS", 5 * 60)
PLAYBACK_CHUNK_SECONDS = env_int("PLAYBACK_CHUNK_SECONDS", 60)
# The first chunk is shorter, so whichever worker takes it has the start playable in seconds.
PLAYBACK_FIRST_CHUNK_SECONDS = env_int("PLAYBACK_FIRST_CHUNK_SECONDS", 10)
# While another worker encodes the first chunk the cut waits, until the video is playable and
# at most this long (seconds).
PLAYBACK_CUT_HOLD_SECONDS = env_int("PLAYBACK_CUT_HOLD_SECONDS", 20)

# What a source may be; anything else is rejected before it reaches the transcoder.
PLAYBACK_LIMITS = {
    "max_width": 3840,
    "max_height": 2160,
    "max_fps": 60,
    "max_duration_seconds": 6 * 3600,
    "min_duration_seconds": 1,
    "video_codecs": [
        "h264",
        "hevc",
        "vp8",
        "vp9",
        "av1",
        "mpeg4",
        "mpeg2video",
        "prores",
        "dnxhd",
        "mjpeg",
        "wmv3",
        "vc1",
    ],
    "audio_codecs": [
        "aac",
        "mp3",
        "opus",
        "vorbis",
        "ac3",
        "eac3",
        "flac",
        "alac",
        "mp2",
        "wmav2",
        "pcm_s16le",
        "pcm_s24le",
        "pcm_s16be",
        "pcm_f32le",
    ],
    # Demuxers ffprobe and ffmpeg may use on an upload; playlists, concat and devices are out.
    "formats": "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,mxf,flv,asf,mpeg",
}
PLAYBACK_CAPTION_LANGUAGES = [
    ("nl", "Nederlands"),
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
    ("pl", "Polski"),
]
PLAYBACK_MAX_UPLOAD_BYTES = env_int("PLAYBACK_MAX_UPLOAD_BYTES", 20 * 1024**3)

# Transcoding runs with a wall-clock limit and resource limits; a poison file fails for good
# after this many attempts instead of looping.
PLAYBACK_MAX_ATTEMPTS = 3
PLAYBACK_TIMEOUT_SECONDS_PER_VIDEO_SECOND = 4
PLAYBACK_TIMEOUT_MINIMUM_SECONDS = 300
PLAYBACK_FFMPEG_MEMORY_BYTES = env_int("PLAYBACK_FFMPEG_MEMORY_BYTES", 8 * 1024**3)
PLAYBACK_SCRATCH_DIR = env("PLAYBACK_SCRATCH_DIR", "")
# A worker renews its lease every third of this. Longer than two waits for SQLite's write lock
# (20 s), so a renewal the lock holds up once does not cost the job.
PLAYBACK_LEASE_SECONDS = env_int("PLAYBACK_LEASE_SECONDS", 60)
# Work whose lease ran out this long ago is taken over (or failed after PLAYBACK_MAX_ATTEMPTS)
# by the sweep that runs every minute, whatever state it stopped in.
PLAYBACK_STALLED_GRACE_SECONDS = env_int("PLAYBACK_STALLED_GRACE_SECONDS", 60)
# Videos left in "uploaded" this long (their job was never queued) are queued again.
PLAYBACK_REQUEUE_AFTER_SECONDS = 120
# A job that meets a database error that usually passes (a lock, a deadlock, a dropped
# connection) is tried again this many times, waiting twice as long each time from the base.
PLAYBACK_DATABASE_RETRIES = 6
PLAYBACK_DATABASE_RETRY_SECONDS = env_int("PLAYBACK_DATABASE_RETRY_SECONDS", 5)
# Media URLs handed to a player stay valid this long.
PLAYBACK_URL_TTL_SECONDS = env_int("PLAYBACK_URL_TTL_SECONDS", 300)
# With Redis, heartbeats are queued there and written to the database in batches by the
# flusher (`manage.py heartbeats_flush --loop`, or the scheduled task every few seconds).
PLAYBACK_HEARTBEAT_BUFFER = env_bool("PLAYBACK_HEARTBEAT_BUFFER", bool(env("REDIS_URL", "")))
PLAYBACK_HEARTBEAT_FLUSH_SECONDS = 2.0
