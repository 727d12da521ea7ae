"""Work handed to the Celery workers by task name. A service that queues follow-up work names
the task rather than importing the tasks module, which imports the services it runs: the two
stay one-way, and the task still runs eagerly where settings say so.

The project's own app, not Celery's ``current_app``: in a thread of its own (a request served
by a threaded server) the current app is Celery's default one, which does not know where the
project's tasks live."""

from .celery import app


def task_enqueue(name: str, *args) -> None:
    if name not in app.tasks:
        # Outside the worker (web server, seeding) the apps' tasks modules load on first use.
        app.loader.import_default_modules()
    app.tasks[name].delay(*args)
