"""What a transcode leaves in the database, and removing a replaced generation."""

from django.utils import timezone

from ..layout import PLAYLIST_NAME, hls_prefix, parts_prefix
from ..models import Rendition, TranscodePart, Video
from .publishing import StreamResult
from .workspace import storage_delete_tree, video_storage


def renditions_record(*, video: Video, results: list[StreamResult]) -> None:
    for result in results:
        Rendition.objects.update_or_create(
            video=video,
            generation=video.generation,
            name=result.spec.name,
            defaults={
                "kind": "audio" if result.spec.is_audio else "video",
                "width": result.spec.width or None,
                "height": result.spec.height or None,
                "codecs": result.codecs,
                "bandwidth": result.bandwidth,
                "average_bandwidth": result.average_bandwidth,
                "segment_count": result.segment_count,
                "playlist_path": f"{video.storage_prefix}/{result.spec.name}/{PLAYLIST_NAME}",
                "complete": True,
            },
        )


def generation_delete(*, video: Video, generation: int) -> None:
    """Remove an older generation's files once the new one is live."""
    storage = video_storage()
    storage_delete_tree(storage, hls_prefix(video.uuid, generation))
    storage_delete_tree(storage, parts_prefix(video.uuid, generation))
    Rendition.objects.filter(video=video, generation=generation).delete()
    TranscodePart.objects.filter(video=video, generation=generation).delete()


def video_mark_playable(*, video: Video) -> None:
    """The first generation of a video can be watched while the rest of it is encoded."""
    Video.objects.filter(pk=video.pk, published_generation__isnull=True).update(
        published_generation=video.generation
    )
    Video.objects.filter(pk=video.pk, playable_at__isnull=True).update(playable_at=timezone.now())
