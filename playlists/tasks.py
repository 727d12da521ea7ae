from celery import shared_task

from .covers import path_mosaic_refresh
from .made_for_you import learners_active, made_for_you_refresh


@shared_task(acks_late=True)
def path_mosaic_refresh_task(path_id: int) -> bool:
    """Draw a path's mosaic again; does nothing when its first courses did not change."""
    return path_mosaic_refresh(path_id=path_id)


@shared_task(acks_late=True)
def made_for_you_refresh_task(user_id: int) -> int:
    """Refresh one learner's "Made for you" paths (safe to run again)."""
    return made_for_you_refresh(user_id=user_id)


@shared_task(acks_late=True)
def made_for_you_schedule_task() -> int:
    """Queue a refresh for every learner who was active lately; runs every night."""
    learners = learners_active()
    for user_id in learners:
        made_for_you_refresh_task.delay(user_id)
    return len(learners)
