"""Handing over a private file (course documents, evidence) once a view has checked who asks:
always as a download, never cached on the way, and never from a lasting public address."""

from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

# Long enough for the browser to follow the redirect; the download itself may take longer.
PRIVATE_FILE_URL_TTL_SECONDS = 60
PRIVATE_FILE_CACHE_CONTROL = "private, no-store"


def private_file_response(*, file, filename: str, content_type: str) -> HttpResponse:
    """With S3 a redirect to a short-lived presigned URL whose response the bucket sends as a
    download; with local storage the file itself, streamed."""
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    storage = file.storage
    if hasattr(storage, "bucket_name"):
        response = HttpResponseRedirect(
            storage.url(
                file.name,
                parameters={
                    "ResponseContentDisposition": disposition,
                    "ResponseContentType": content_type,
                    "ResponseCacheControl": PRIVATE_FILE_CACHE_CONTROL,
                },
                expire=PRIVATE_FILE_URL_TTL_SECONDS,
            )
        )
    else:
        try:
            handle = storage.open(file.name, "rb")
        except FileNotFoundError as missing:
            raise Http404 from missing
        response = FileResponse(handle, content_type=content_type)
        response["Content-Disposition"] = disposition
        # Should a browser render it anyway, the file runs nothing and loads nothing.
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = PRIVATE_FILE_CACHE_CONTROL
    return response
