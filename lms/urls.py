from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from catalog import routing

from . import views
from .accounts import views as account_views

handler400 = "lms.views.bad_request"
handler403 = "lms.views.permission_denied"
handler404 = "lms.views.page_not_found"
handler500 = "lms.views.server_error"

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    # Signing in and resetting a password happen in allauth only, with its second factor and limits.
    path("admin/login/", account_views.admin_login, name="wagtailadmin_login"),
    re_path(r"^admin/password_reset/", account_views.password_reset),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("stream/", include("playback.urls")),
    path("", include("accreditation.urls")),
    path("", include("live.urls")),
    path("", include("playlists.urls")),
    path("", include("discovery.urls")),
]

if settings.DEBUG:
    # Only images (Wagtail's and the learning paths' covers) are served straight from disk;
    # video goes through signed delivery, documents and evidence through views that check who asks.
    for folder in ("images", "original_images", "paths"):
        urlpatterns += static(
            f"{settings.MEDIA_URL}{folder}/", document_root=settings.MEDIA_ROOT / folder
        )

# Wagtail serves the pages, with the route to a page remembered between requests.
urlpatterns += [
    path("_util/login/", account_views.frontend_login, name="wagtailcore_login"),
    *(
        pattern
        for pattern in wagtail_urls.urlpatterns
        if pattern.name not in {"wagtail_serve", "wagtailcore_login"}
    ),
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
]
