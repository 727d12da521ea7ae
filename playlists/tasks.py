from celery import shared_task

from .covers import path_mosaic_refresh


@shared_task(acks_late=True)
def path_mosaic_refresh_task(path_id: int) -> bool:
    """Draw a path's mosaic again; does nothing when its first courses did not change."""
    return path_mosaic_refresh(path_id=path_id)
