"""What follows a change to a video made anywhere (the admin, a shell, a cascade)."""

from django.db import transaction

from .services.workspace import video_files_delete


def video_files_follow_delete(sender, instance, **kwargs) -> None:
    """A deleted video's files go once the deletion commits; a rolled-back delete keeps them."""
    video_uuid = instance.uuid

    def files_delete() -> None:
        video_files_delete(video_uuid=video_uuid)

    transaction.on_commit(files_delete, robust=True)
