from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from catalog import routing

from . import views

handler400 = "lms.views.bad_request"
handler403 = "lms.views.permission_denied"
handler404 = "lms.views.page_not_found"
handler500 = "lms.views.server_error"

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("stream/", include("playback.urls")),
    path("", include("accreditation.urls")),
    path("", include("playlists.urls")),
    path("", include("catalog.urls")),
]

if settings.DEBUG:
    # Only images are served straight from disk; video goes through signed delivery.
    for folder in ("images", "original_images"):
        urlpatterns += static(
            f"{settings.MEDIA_URL}{folder}/", document_root=settings.MEDIA_ROOT / folder
        )

# Wagtail serves the pages, with the route to a page remembered between requests.
urlpatterns += [
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
]
