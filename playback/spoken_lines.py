"""Captions become what search finds: whenever a video's captions are saved or deleted, their
cues are handed to the catalog as the video's spoken lines (``catalog.api``)."""

import logging

from catalog import api as catalog_api

from .captions import webvtt_cues
from .models import Caption

logger = logging.getLogger(__name__)


def video_spoken_lines_index(*, video_id: int) -> int:
    """Hand the catalog every cue of the video's captions, replacing what it had; returns how
    many lines it now has. A caption file that cannot be read is left out (and logged)."""
    cues: dict[str, list[catalog_api.Cue]] = {}
    for caption in Caption.objects.filter(video_id=video_id).order_by("language"):
        if not caption.file:
            continue
        try:
            with caption.file.open("rb") as handle:
                text = handle.read().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            logger.exception("Caption %s of video %s could not be read", caption.pk, video_id)
            continue
        cues[caption.language] = [catalog_api.Cue(start, said) for start, said in webvtt_cues(text)]
    return catalog_api.video_spoken_lines_replace(video_id=video_id, cues=cues)


def spoken_lines_missing_index() -> int:
    """Index the captions of videos that have none indexed yet (captions saved before spoken
    lines existed); returns how many videos were indexed."""
    indexed = catalog_api.video_ids_with_spoken_lines()
    video_ids = set(Caption.objects.values_list("video_id", flat=True)) - indexed
    for video_id in sorted(video_ids):
        video_spoken_lines_index(video_id=video_id)
    return len(video_ids)


def spoken_lines_follow_captions(sender, instance, **kwargs) -> None:
    """A caption saved or deleted anywhere (the admin, a seed, a shell) is indexed again."""
    if kwargs.get("raw"):
        return
    video_spoken_lines_index(video_id=instance.video_id)
