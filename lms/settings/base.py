"""Settings for every environment, driven by environment variables.

With nothing set, Leerstroom runs on one machine: SQLite, local media and Celery's
filesystem transport under ``var/``. Each real service is switched on by its variable;
see ``.env.example`` for the full list.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .environment import env, env_bool, env_int, env_list
from .live import *  # noqa: F403
from .video import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env("LEERSTROOM_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Development values, clearly marked: production settings refuse to start without real ones.
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "development-only-secret-key-never-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = SITE_URL

INSTALLED_APPS = [
    "lms.accounts",
    "catalog",
    "discovery",
    "playback",
    "live",
    "playlists",
    "accreditation",
    "frontend",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "storages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accreditation.profiles.middleware.OnboardingMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context_processors.navigation",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'leerstroom.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "leerstroom",
        },
        # Wagtail looks image renditions (posters, covers) up here before the database.
        "renditions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "leerstroom-renditions",
            "TIMEOUT": 24 * 3600,
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Pages' shared reads are cached (catalog/generation.py) when every process sees one cache.
CATALOG_PAGE_CACHE = env_bool("CATALOG_PAGE_CACHE", bool(REDIS_URL))
# Cross-site posts arrive signed out; the heartbeat endpoint relies on it (see its view).
SESSION_COOKIE_SAMESITE = "Lax"

# --- Files ----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env("AWS_S3_REGION_NAME", "eu-central-1"),
            "access_key": env("AWS_ACCESS_KEY_ID", "") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", "") or None,
            "default_acl": None,
            "file_overwrite": False,
            # Media is private: every URL handed out is signed and expires.
            "querystring_auth": True,
            "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 300),
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", "") or None,
            "signature_version": "s3v4",
        },
    }
else:
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # HLS output: fixed names, overwritten on a retry, with HLS content types and cache headers.
    "videos": {
        "BACKEND": "playback.storage.S3VideoStorage"
        if AWS_STORAGE_BUCKET_NAME
        else "playback.storage.LocalVideoStorage",
        "OPTIONS": DEFAULT_STORAGE["OPTIONS"],
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Background work ------------------------------------------------------------------

CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_DIR = VAR_DIR / "celery"
# An unacknowledged job goes back to the queue after this long (a worker that died).
# Longer than the longest job: videos longer than PLAYBACK_CHUNKED_MIN_SECONDS are
# encoded as one-minute parts, so no transcode job runs for anywhere near an hour.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Workers look for such jobs every quarter of that time, at most a minute apart (Redis's
    # transport would otherwise look only every tenth of its 10-second rounds).
    "unacked_restore_interval": max(1, min(60, CELERY_VISIBILITY_TIMEOUT // 4)),
    "unacked_restore_throttle": 1,
    # The lock a worker holds while it looks (a few milliseconds): a worker killed while
    # holding it would otherwise keep every other from looking for five minutes.
    "unacked_mutex_expire": min(30, max(2, CELERY_VISIBILITY_TIMEOUT)),
}
if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
        # The exchange tables, which would otherwise land in the working directory.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
    }
    (CELERY_BROKER_DIR / "queue").mkdir(parents=True, exist_ok=True)
    (CELERY_BROKER_DIR / "processed").mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Amsterdam"
CELERY_TASK_ROUTES = {
    "playback.tasks.video_process_task": {"queue": "transcode"},
    "playback.tasks.video_part_task": {"queue": "transcode"},
}
CELERY_BEAT_SCHEDULE = {
    "requeue-stalled-videos": {
        "task": "playback.tasks.videos_requeue_stalled_task",
        "schedule": 60.0,
    },
    "deadline-reminders": {
        "task": "accreditation.tasks.deadline_reminders_send_task",
        "schedule": crontab(hour=7, minute=30),
        "options": {"expires": 60 * 60 * 12},
    },
    "made-for-you-paths": {
        "task": "playlists.tasks.made_for_you_schedule_task",
        "schedule": crontab(hour=4, minute=15),
    },
    "session-reminders": {
        "task": "live.tasks.session_reminders_send_task",
        "schedule": crontab(minute=5),
        "options": {"expires": 60 * 50},
    },
    "sessions-close-ended": {
        "task": "live.tasks.sessions_close_ended_task",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 60 * 14},
    },
}
# Only the Redis buffer has heartbeats to flush; without it the task would run idle every two
# seconds and fill the worker's log.
if PLAYBACK_HEARTBEAT_BUFFER and REDIS_URL:
    CELERY_BEAT_SCHEDULE["flush-heartbeats"] = {
        "task": "playback.tasks.heartbeats_flush_task",
        "schedule": PLAYBACK_HEARTBEAT_FLUSH_SECONDS,
        "options": {"expires": PLAYBACK_HEARTBEAT_FLUSH_SECONDS * 2},
    }
if LIVE_PRESENCE_BUFFER and REDIS_URL:
    CELERY_BEAT_SCHEDULE["flush-live-presence"] = {
        "task": "live.tasks.presence_minutes_flush_task",
        "schedule": LIVE_PRESENCE_FLUSH_SECONDS,
        "options": {"expires": LIVE_PRESENCE_FLUSH_SECONDS * 2},
    }

# --- Accounts -------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "lms.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# Every sign-in and password reset goes through allauth: the second factor, the rate limits and
# the lockout live there. Wagtail's own forms lead to it (lms/accounts/views.py).
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
# A password is chosen by its owner only; a new editor signs in with a mailed code or resets it.
WAGTAILUSERS_PASSWORD_ENABLED = False

ACCOUNT_ADAPTER = "lms.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = None  # the learner chooses "remember me" on the login form
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Leerstroom] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
# allauth's limits stay on. Per-address limits are wide enough for a hospital whose staff share
# one NAT address at shift change; the per-account ("key") limits stay strict.
ACCOUNT_RATE_LIMITS = {
    "login": env("RATE_LIMIT_LOGIN", "300/m/ip"),
    "login_failed": env("RATE_LIMIT_LOGIN_FAILED", "60/m/ip,5/300s/key"),
    "signup": env("RATE_LIMIT_SIGNUP", "60/m/ip"),
    "request_login_code": env("RATE_LIMIT_LOGIN_CODE", "60/m/ip,3/m/key"),
}
# Behind a load balancer every request seems to come from it; a hospital's NAT puts a whole
# ward behind one address. Count the proxies so limits apply to the real client.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", "") or None

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Leerstroom"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# "Remember me" keeps a learner signed in for weeks, so a webinar crowd does not log in at once.
SESSION_COOKIE_AGE = int(timedelta(weeks=env_int("SESSION_WEEKS", 6)).total_seconds())

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Leerstroom <noreply@leerstroom.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Language -------------------------------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as in en-GB (06/12/2026), also when typed into a form.
FORMAT_MODULE_PATH = ["lms.formats"]
LANGUAGE_COOKIE_AGE = int(timedelta(days=365).total_seconds())
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Wagtail --------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Leerstroom"
# No third-party avatar requests from the editors' browsers.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "pptx", "xlsx", "odt", "txt", "csv"]
# Documents are private: links always go through the serve view, which checks who asks
# (playback/attachments.py); "direct" would hand out the storage's own URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# PostgreSQL text-search configuration for the editors' search and the learners' catalog search.
CATALOG_SEARCH_CONFIG = "dutch"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.database",
            "SEARCH_CONFIG": CATALOG_SEARCH_CONFIG,
        }
    }

# --- Logging --------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Wagtail's background tasks and page actions log every step at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
