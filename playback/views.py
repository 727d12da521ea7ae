from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import layout
from .delivery import (
    DeliveryDenied,
    byte_range,
    playlist_grant_load,
    playlist_render,
    segment_name_load,
    segment_ttl_for,
)
from .models import Video
from .storage import content_type_for


@require_GET
@never_cache
def playlist(request, token: str, path: str):
    try:
        grant = playlist_grant_load(token=token, user=request.user)
        video = Video.objects.only("duration").get(uuid=grant.video_uuid)
        body = playlist_render(
            grant=grant, token=token, path=path, segment_ttl=segment_ttl_for(video.duration)
        )
    except (DeliveryDenied, Video.DoesNotExist):
        return HttpResponse(status=403, content_type="text/plain")
    response = HttpResponse(body, content_type=content_type_for(path))
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def segment(request, token: str):
    """Local storage only: with S3 the player fetches segments from the bucket itself."""
    try:
        name = segment_name_load(token=token)
    except DeliveryDenied:
        return HttpResponse(status=403, content_type="text/plain")
    storage = storages["videos"]
    if not name.startswith(layout.SERVED_ROOTS) or not storage.exists(name):
        raise Http404
    size = storage.size(name)
    try:
        span = byte_range(request.headers.get("Range"), size)
    except ValueError:
        response = HttpResponse(status=416, content_type="text/plain")
        response["Content-Range"] = f"bytes */{size}"
        return response
    if span is None:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type_for(name))
    else:
        first, last = span
        with storage.open(name, "rb") as handle:
            handle.seek(first)
            body = handle.read(last - first + 1)
        response = HttpResponse(body, status=206, content_type=content_type_for(name))
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    return response
