"""Path covers: a mosaic of the first four courses' covers, or an image the owner uploads."""

import io
import warnings

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from discovery import api as discovery_api
from lms.queue import task_enqueue

from .models import LearningPath

MOSAIC_SIZE = 640
MOSAIC_COURSES = 4
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
UPLOAD_FORMATS = {"JPEG", "PNG", "WEBP"}
UPLOAD_LONGEST_SIDE = 1200
UPLOAD_MAX_PIXELS = 40_000_000


class CoverRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _first_courses(path: LearningPath, count: int = MOSAIC_COURSES) -> list[int]:
    courses: list[int] = []
    for course_id in path.items.order_by("rank").values_list("course_id", flat=True):
        if course_id not in courses:
            courses.append(course_id)
        if len(courses) == count:
            break
    return courses


def path_mosaic_refresh(*, path_id: int) -> bool:
    """Draw the path's mosaic again if its first courses changed; returns whether it did."""
    path = LearningPath.objects.filter(pk=path_id).first()
    if path is None:
        return False
    courses = _first_courses(path)
    key = ",".join(map(str, courses))
    if key == path.mosaic_of and (path.mosaic or not courses):
        return False
    tile = MOSAIC_SIZE // 2 if len(courses) >= 4 else MOSAIC_SIZE
    squares = discovery_api.course_cover_squares(courses, size=tile)
    covers = [squares[c] for c in courses if c in squares][: 4 if tile < MOSAIC_SIZE else 1]
    old = path.mosaic.name if path.mosaic else ""
    if covers:
        canvas = Image.new("RGB", (MOSAIC_SIZE, MOSAIC_SIZE), (23, 29, 37))
        for number, data in enumerate(covers):
            with Image.open(io.BytesIO(data)) as image:
                canvas.paste(image.convert("RGB"), ((number % 2) * tile, (number // 2) * tile))
        output = io.BytesIO()
        canvas.save(output, format="WEBP", quality=82)
        path.mosaic.save(f"path-{path.pk}.webp", ContentFile(output.getvalue()), save=False)
    else:
        path.mosaic = ""
    path.mosaic_of = key
    LearningPath.objects.filter(pk=path.pk).update(mosaic=path.mosaic.name or "", mosaic_of=key)
    if old and old != path.mosaic.name:
        path.mosaic.storage.delete(old)
    return True


MOSAIC_REFRESH_TASK = "playlists.tasks.path_mosaic_refresh_task"


def path_mosaic_refresh_later(path: LearningPath) -> None:
    transaction.on_commit(lambda: task_enqueue(MOSAIC_REFRESH_TASK, path.pk))


def _picture_read(upload) -> tuple[str, Image.Image]:
    """The upload's format and pixels, refusing what is not an image or is too large to decode
    safely (a small file can hold a huge picture)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                kind = probe.format
                if probe.width * probe.height > UPLOAD_MAX_PIXELS:
                    raise Image.DecompressionBombError(f"{probe.width}x{probe.height}")
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
                return kind, image.convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise CoverRefused(
            _("This image is too large; use one of at most 40 megapixels.")
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise CoverRefused(_("This file is not an image we can read.")) from error


def path_cover_upload(*, path: LearningPath, upload) -> None:
    """Check an uploaded cover by its content, then store it re-encoded (no metadata kept)."""
    if upload.size > UPLOAD_MAX_BYTES:
        raise CoverRefused(_("A cover can be at most 5 MB."))
    kind, picture = _picture_read(upload)
    if kind not in UPLOAD_FORMATS:
        raise CoverRefused(_("Upload a JPEG, PNG or WebP image."))
    picture.thumbnail((UPLOAD_LONGEST_SIDE, UPLOAD_LONGEST_SIDE))
    output = io.BytesIO()
    picture.save(output, format="WEBP", quality=85)
    old = path.cover.name if path.cover else ""
    path.cover.save(f"path-{path.pk}.webp", ContentFile(output.getvalue()), save=False)
    path.save(update_fields=["cover", "updated_at"])
    if old:
        path.cover.storage.delete(old)


def path_cover_remove(*, path: LearningPath) -> None:
    if path.cover:
        path.cover.delete(save=False)
        path.save(update_fields=["cover", "updated_at"])
