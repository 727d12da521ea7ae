"""Work queued by task name from any process, not only from the worker that defines the tasks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

ENQUEUE = """
import django
django.setup()
from lms.queue import task_enqueue
task_enqueue("playback.tasks.heartbeats_flush_task")
"""


@pytest.mark.slow
def test_a_fresh_process_queues_a_task_it_never_imported(tmp_path):
    """As the demo seed and the web server do: before, the job was refused as unregistered and
    the video waited for the sweep."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "REDIS_URL")
    }
    env |= {"DJANGO_SETTINGS_MODULE": "lms.settings.base", "LEERSTROOM_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", ENQUEUE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    queued = list((tmp_path / "celery" / "queue").iterdir())
    assert len(queued) == 1
    assert "playback.tasks.heartbeats_flush_task" in queued[0].read_text()
