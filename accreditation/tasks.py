from celery import shared_task
from django.utils import timezone

from .deadlines.reminders import deadline_reminders_send


@shared_task(acks_late=True, ignore_result=True)
def deadline_reminders_send_task() -> int:
    """Send the deadline reminders due today; runs daily and is safe to run again."""
    return deadline_reminders_send(on=timezone.localdate())
