from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views
from .models import Video
from .reasons import duration_display


class StateColumn(Column):
    """State with a progress bar while transcoding, or since when it stalled; kept fresh by a
    small script."""

    cell_template_name = "playback/admin/state_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["stalled"] = admin_views.video_stalled_text(instance)
        return context


class VideoViewSet(ModelViewSet):
    model = Video
    icon = "media"
    menu_label = _("Videos")
    menu_order = 250
    add_to_admin_menu = True
    search_fields = ["title"]
    list_filter = ["state"]
    ordering = ["-created_at"]
    edit_view_class = admin_views.VideoEditView
    edit_template_name = "playback/admin/edit.html"
    index_template_name = "playback/admin/index.html"
    list_display = [
        TitleColumn("title", label=_("Title"), url_name="playback_video:edit"),
        StateColumn("state", label=_("State")),
        Column("duration_display", label=_("Duration"), accessor=lambda v: _duration(v)),
        Column("resolution", label=_("Resolution"), accessor=lambda v: _resolution(v)),
        DateColumn("created_at", label=_("Uploaded")),
    ]

    @property
    def add_view(self):
        return admin_views.UploadView.as_view()

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("upload/start/", admin_views.upload_start_view, name="upload_start"),
            path("upload/<uuid:upload_id>/", admin_views.upload_status_view, name="upload_status"),
            path(
                "upload/<uuid:upload_id>/chunk/",
                admin_views.upload_chunk_view,
                name="upload_chunk",
            ),
            path("upload/<uuid:upload_id>/part/", admin_views.upload_part_view, name="upload_part"),
            path(
                "upload/<uuid:upload_id>/complete/",
                admin_views.upload_complete_view,
                name="upload_complete",
            ),
            path("<int:pk>/status/", admin_views.video_status_view, name="status"),
            path(
                "<int:pk>/transcode-again/",
                admin_views.transcode_again_view,
                name="transcode_again",
            ),
        ]


def _duration(video: Video) -> str:
    return duration_display(video.duration) if video.duration else "—"


def _resolution(video: Video) -> str:
    return f"{video.width}×{video.height}" if video.width else "—"


class VideoChooserViewSet(ChooserViewSet):
    model = Video
    icon = "media"
    choose_one_text = _("Choose a video")
    choose_another_text = _("Choose another video")
    edit_item_text = _("Edit this video")
    url_filter_parameters = ["state"]


video_viewset = VideoViewSet("playback_video", url_prefix="videos")
video_chooser_viewset = VideoChooserViewSet("playback_video_chooser", url_prefix="video-chooser")
VideoChooserBlock = video_chooser_viewset.get_block_class(
    name="VideoChooserBlock", module_path="playback.blocks"
)
