from django.urls import path, re_path

from . import (
    assessment_views,
    attachment_views,
    enrolment_views,
    preference_views,
    progress_views,
    views,
)

app_name = "playback"

urlpatterns = [
    re_path(
        r"^hls/(?P<token>[A-Za-z0-9_\-:.]+)/(?P<path>[a-z0-9/]+\.(?:m3u8|vtt))$",
        views.playlist,
        name="playlist",
    ),
    path("hls-segment/<str:token>", views.segment, name="segment"),
    path("afspelen/sessies/", progress_views.session_start, name="session_start"),
    path("afspelen/voortgang/", progress_views.heartbeat, name="heartbeat"),
    path("afspelen/voorkeuren/", preference_views.preference_save, name="preference_save"),
    path("voucher/", enrolment_views.voucher_redeem_view, name="voucher_redeem"),
    path("documenten/<int:document_id>/", attachment_views.document, name="document"),
]

urlpatterns += [
    path("toets/<int:episode_id>/", assessment_views.end_test, name="test"),
    path(
        "toets/<int:episode_id>/uitslag/<int:attempt_id>/",
        assessment_views.end_test_result,
        name="test_result",
    ),
]
