from django.urls import path, re_path

from . import progress_views, views

app_name = "playback"

urlpatterns = [
    re_path(
        r"^hls/(?P<token>[A-Za-z0-9_\-:.]+)/(?P<path>[a-z0-9/]+\.m3u8)$",
        views.playlist,
        name="playlist",
    ),
    path("hls-segment/<str:token>", views.segment, name="segment"),
    path("afspelen/sessies/", progress_views.session_start, name="session_start"),
    path("afspelen/voortgang/", progress_views.heartbeat, name="heartbeat"),
]
