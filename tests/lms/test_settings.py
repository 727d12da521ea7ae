import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from lms.settings.environment import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def test_environment_values_are_parsed_with_clear_errors(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    monkeypatch.setenv("COUNT", "3")
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    assert env_bool("FLAG", False) is True
    assert env_int("COUNT", 0) == 3
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("FLAG", "misschien")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be true or false"):
        env_bool("FLAG", False)
    monkeypatch.setenv("COUNT", "drie")
    with pytest.raises(ImproperlyConfigured, match="COUNT must be a whole number"):
        env_int("COUNT", 0)


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_settings_pass_check_deploy_without_warnings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": "x" * 20 + "-production-secret-" + "y" * 30,
        "ALLOWED_HOSTS": "leerstroom.example",
        "REDIS_URL": "redis://127.0.0.1:6379/9",
    }
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_the_embedded_stack_starts_without_a_system_check_warning():
    """make run's settings (SQLite): every constraint is one SQLite creates (no models.W047)."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "lms.settings.base",
    }
    result = _manage("check", "--database", "default", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env |= {"DJANGO_SETTINGS_MODULE": "lms.settings.production", "ALLOWED_HOSTS": "x.example"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "The environment variable SECRET_KEY is required in production." in result.stderr


def test_production_refuses_to_start_without_a_shared_cache():
    """Sign-in limits and lockouts counted per process would let an attacker spread guesses."""
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": "x" * 20 + "-production-secret-" + "y" * 30,
        "ALLOWED_HOSTS": "x.example",
    }
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.CACHES"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: The environment variable REDIS_URL is required" in result.stderr

    result = _manage("check", env=env | {"REDIS_URL": "redis://127.0.0.1:6379/9"})
    assert result.returncode == 0, result.stdout + result.stderr


def _beat_schedule(tmp_path, **variables: str) -> list[str]:
    """The scheduled jobs the settings give for these environment variables."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REDIS_URL", "PLAYBACK_HEARTBEAT_BUFFER", "DJANGO_SETTINGS_MODULE")
    }
    env |= {"LEERSTROOM_VAR_DIR": str(tmp_path), **variables}
    result = subprocess.run(
        [sys.executable, "-c", "from lms.settings import base; print(*base.CELERY_BEAT_SCHEDULE)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.slow
def test_heartbeats_are_flushed_on_a_schedule_only_when_redis_buffers_them(tmp_path):
    """Without Redis there is nothing to flush, and the worker's log stays quiet."""
    redis = "redis://127.0.0.1:6379/9"
    embedded = _beat_schedule(tmp_path)
    assert "flush-heartbeats" not in embedded and "requeue-stalled-videos" in embedded
    assert "flush-heartbeats" in _beat_schedule(tmp_path, REDIS_URL=redis)
    unbuffered = _beat_schedule(tmp_path, REDIS_URL=redis, PLAYBACK_HEARTBEAT_BUFFER="false")
    assert "flush-heartbeats" not in unbuffered
