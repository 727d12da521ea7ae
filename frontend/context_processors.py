from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    # label, url name, icon
    (_("Home"), "home", "home"),
    (_("Search"), "discovery:search", "search"),
    (_("My learning paths"), "playlists:library", "paths"),
    (_("My accreditation"), "accreditation:dashboard", "award"),
]


def navigation(request):
    path = request.path
    items = []
    for label, url_name, icon in NAVIGATION:
        url = "/" if url_name == "home" else reverse(url_name)
        active = path == "/" if url == "/" else path.startswith(url)
        items.append({"label": label, "url": url, "icon": icon, "active": active})
    return {"main_navigation": items}
