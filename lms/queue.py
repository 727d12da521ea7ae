"""Work handed to the Celery workers by task name. A service that queues follow-up work names
the task rather than importing the tasks module, which imports the services it runs: the two
stay one-way, and the task still runs eagerly where settings say so.

Outside a worker (the web server, seeding) a task's module loads on first use, under a lock:
two requests queueing at the same moment must not find it half imported. The project's own
app, not Celery's ``current_app``, which in a thread of its own is Celery's default app."""

import importlib
import threading

from .celery import app

_loading = threading.Lock()


def task_enqueue(name: str, *args, countdown: float | None = None) -> None:
    """Queue the task ``name`` with ``args``, to start no sooner than ``countdown`` seconds."""
    if name not in app.tasks:
        with _loading:
            if name not in app.tasks:
                # A task's name is its module's path and its function's name.
                importlib.import_module(name.rsplit(".", 1)[0])
    app.tasks[name].apply_async(args=args, countdown=countdown)
