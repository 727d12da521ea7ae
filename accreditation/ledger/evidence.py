"""Checks on evidence a learner uploads for an activity they add themselves: judged by the
file's content, never by its name or the type the browser claims."""

import mimetypes
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
# What a download of evidence may claim to be; the upload check allowed nothing else.
EVIDENCE_CONTENT_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp"}
# Some PDF writers put a few bytes before the header; readers accept it within the first 1 KB.
PDF_HEADER_WINDOW = 1024


def _is_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:PDF_HEADER_WINDOW]


def _is_image(file) -> bool:
    try:
        file.seek(0)
        with Image.open(file) as image:
            if image.format not in IMAGE_FORMATS:
                return False
            image.verify()
        return True
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        return False
    finally:
        file.seek(0)


def evidence_check(file) -> str:
    """The kind of evidence (``pdf`` or ``image``), or a ValidationError saying what is wrong."""
    if file.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The evidence may be at most 10 MB; this file is %(size)s MB."),
            code="evidence_too_large",
            params={"size": f"{file.size / (1024 * 1024):.1f}"},
        )
    if file.size == 0:
        raise ValidationError(_("The evidence file is empty."), code="evidence_empty")
    file.seek(0)
    head = file.read(PDF_HEADER_WINDOW)
    file.seek(0)
    if _is_pdf(head):
        return "pdf"
    if _is_image(file):
        return "image"
    raise ValidationError(
        _("The evidence must be a PDF or a photo (JPEG, PNG or WebP); this file is neither."),
        code="evidence_type",
    )


def evidence_download_name(name: str) -> str:
    return PurePosixPath(name).name


def evidence_content_type(name: str) -> str:
    """From the stored name, and only a type the upload check allows: a name is the learner's
    to choose, so anything else is offered as plain bytes."""
    guessed, _encoding = mimetypes.guess_type(name)
    return guessed if guessed in EVIDENCE_CONTENT_TYPES else "application/octet-stream"
