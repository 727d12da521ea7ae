"""Work handed to the Celery workers by task name. A service that queues follow-up work names
the task rather than importing the tasks module, which imports the services it runs: the two
stay one-way, and the task still runs eagerly where settings say so."""

from celery import current_app


def task_enqueue(name: str, *args) -> None:
    if name not in current_app.tasks:
        # Outside the worker (web server, seeding) the apps' tasks modules load on first use.
        current_app.loader.import_default_modules()
    current_app.tasks[name].delay(*args)
