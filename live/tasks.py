from celery import shared_task

from .attendance import sessions_close_ended
from .invitations import registration_mail_send
from .presence_buffer import minutes_flush
from .question_snapshot import questions_snapshot_refresh
from .reminders import session_reminders_send


@shared_task(acks_late=True, ignore_result=True)
def registration_mail_task(registration_id: int, sequence: int, mail: str) -> bool:
    """The e-mail about one change of a registration; sends nothing twice."""
    return registration_mail_send(registration_id=registration_id, sequence=sequence, mail=mail)


@shared_task(acks_late=True, ignore_result=True)
def session_reminders_send_task() -> int:
    """The reminders the day before a session; runs hourly and is safe to run again."""
    return session_reminders_send()


@shared_task(acks_late=True, ignore_result=True)
def sessions_close_ended_task() -> int:
    """Close online sessions with presence checks that have ended, awarding their points."""
    return sessions_close_ended()


@shared_task(acks_late=True, ignore_result=True)
def presence_minutes_flush_task() -> int:
    """Merge the minutes live viewers were counted in Redis into their attendance rows."""
    return minutes_flush()


@shared_task(acks_late=True, ignore_result=True)
def questions_snapshot_task(session_id: int) -> None:
    """Build and publish the session's list of questions again (after votes); idempotent."""
    questions_snapshot_refresh(session_id)
