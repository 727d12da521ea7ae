"""The video library's own admin endpoints: chunked upload, status for progress bars, retry."""

import json

from django.contrib.auth.decorators import permission_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import EditView

from .delivery import master_url
from .models import UploadSession, Video
from .services.stalls import video_stalled_since
from .services.states import FINAL, IllegalTransition
from .services.uploads import (
    CHUNK_BYTES,
    UploadError,
    upload_append,
    upload_complete,
    upload_part_url,
    upload_progress,
    upload_start,
    video_transcode_again,
)

can_add = permission_required("playback.add_video", raise_exception=True)
can_change = permission_required("playback.change_video", raise_exception=True)


class UploadView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "playback/admin/upload.html"
    page_title = gettext_lazy("Upload a video")
    header_icon = "media"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("playback_video:index"), "label": _("Videos")},
            {"url": "", "label": _("Upload")},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            chunk_bytes=CHUNK_BYTES,
            start_url=reverse("playback_video:upload_start"),
            texts={
                "needTitle": _("Give the video a title."),
                "needFile": _("Choose a video file."),
                "resuming": _("Continuing the earlier upload of this file."),
                "retrying": _("The connection dropped; trying again…"),
                "offline": _("The connection stays down. Choose Upload again to continue later."),
                "failed": _("The upload failed."),
                "done": _("Upload complete. The video is being processed."),
            },
        )


def _upload_json(upload: UploadSession) -> dict:
    received, parts = upload_progress(upload=upload)
    return {
        "id": str(upload.id),
        "mode": "s3" if upload.is_direct else "chunks",
        "received": received,
        "parts": parts,
        "part_bytes": CHUNK_BYTES,
        "part_url": reverse("playback_video:upload_part", args=[upload.id]),
        "size": upload.size,
        "chunk_url": reverse("playback_video:upload_chunk", args=[upload.id]),
        "complete_url": reverse("playback_video:upload_complete", args=[upload.id]),
        "status_url": reverse("playback_video:upload_status", args=[upload.id]),
    }


def _error(exc: UploadError) -> JsonResponse:
    body = {"error": exc.message}
    if exc.received is not None:
        body["received"] = exc.received
    return JsonResponse(body, status=exc.status)


@can_add
@require_POST
def upload_start_view(request):
    try:
        data = json.loads(request.body or b"{}")
        size = int(data.get("size", 0))
    except (ValueError, TypeError):
        return JsonResponse({"error": _("The upload request could not be read.")}, status=400)
    try:
        upload = upload_start(
            user=request.user,
            title=str(data.get("title", "")),
            filename=str(data.get("filename", "")),
            size=size,
            direct=bool(data.get("direct")),
        )
    except UploadError as exc:
        return _error(exc)
    return JsonResponse(_upload_json(upload), status=201)


def _own_upload(request, upload_id) -> UploadSession:
    return get_object_or_404(UploadSession, pk=upload_id, user=request.user)


@can_add
@require_GET
def upload_status_view(request, upload_id):
    return JsonResponse(_upload_json(_own_upload(request, upload_id)))


@can_add
@require_POST
def upload_chunk_view(request, upload_id):
    upload = _own_upload(request, upload_id)
    try:
        offset = int(request.GET.get("offset", ""))
        length = int(request.headers.get("Content-Length", ""))
    except ValueError:
        return JsonResponse({"error": _("The part came without its position.")}, status=400)
    try:
        upload = upload_append(upload=upload, offset=offset, stream=request, length=length)
    except UploadError as exc:
        return _error(exc)
    return JsonResponse(_upload_json(upload))


@can_add
@require_POST
def upload_part_view(request, upload_id):
    """A presigned URL for one part of a direct-to-S3 upload."""
    upload = _own_upload(request, upload_id)
    try:
        part_number = int(request.GET.get("part", ""))
        url = upload_part_url(upload=upload, part_number=part_number)
    except ValueError:
        return JsonResponse({"error": _("The part came without its position.")}, status=400)
    except UploadError as exc:
        return _error(exc)
    return JsonResponse({"url": url})


@can_add
@require_POST
def upload_complete_view(request, upload_id):
    try:
        video = upload_complete(upload=_own_upload(request, upload_id))
    except UploadError as exc:
        return _error(exc)
    return JsonResponse(
        {
            "video_id": video.id,
            "edit_url": reverse("playback_video:edit", args=[video.id]),
            "status_url": reverse("playback_video:status", args=[video.id]),
        }
    )


def video_stalled_text(video: Video) -> str:
    """ "Stalled since 14:03" when nobody works on the video any more, in place of a frozen
    percentage; empty while it is done, queued or under way."""
    since = video_stalled_since(video=video)
    if since is None:
        return ""
    local = timezone.localtime(since)
    same_day = local.date() == timezone.localdate()
    when = formats.time_format(local) if same_day else formats.date_format(local, "DATETIME_FORMAT")
    return _("Stalled since %(time)s") % {"time": when}


def video_status_json(video: Video, user) -> dict:
    return {
        "state": video.state,
        "state_label": video.get_state_display(),
        "progress": round(video.progress),
        "stalled": video_stalled_text(video),
        "reason": video.reason,
        "playable": video.is_playable,
        "master_url": master_url(video=video, user=user),
        "final": video.state in FINAL,
    }


class VideoEditView(EditView):
    """The video's page with its processing panel, "stalled since" included."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, stalled=video_stalled_text(self.object))


@can_change
@require_GET
def video_status_view(request, pk):
    video = get_object_or_404(Video, pk=pk)
    return JsonResponse(video_status_json(video, request.user))


@can_change
@require_POST
def transcode_again_view(request, pk):
    video = get_object_or_404(Video, pk=pk)
    try:
        video = video_transcode_again(video=video)
    except IllegalTransition:
        message = _(
            "A worker is processing this video right now. You can transcode it again once it is "
            "done, or once it has stalled."
        )
        return JsonResponse({"error": message}, status=409)
    return JsonResponse(video_status_json(video, request.user))
