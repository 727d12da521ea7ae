"""Which page answers a URL, remembered between requests.

Wagtail finds a page by walking the tree a slug at a time: the site, its root, then a query for
each level and another for the specific page. When a webinar starts, thousands of learners open
the same episode page within seconds, so the answer (the site and the page, with the ids of the
pages whose view restrictions apply to it) is cached under the catalog generation
(``generation.py``). Every save, publish, unpublish, move or delete of a
page moves the generation on, so a remembered page is never older than the last change; on a
miss Wagtail walks the tree as always, and the answer is remembered.

Wagtail keeps both answers on the request (``_wagtail_site``, ``_wagtail_route_for_request``), so
setting them there is all its serve view needs.
"""

from django.core.cache import cache
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from .generation import READ_TTL, catalog_generation, page_cache_enabled

ROUTE_TTL = 10 * READ_TTL


def serve(request, path):
    if request.method in ("GET", "HEAD") and page_cache_enabled():
        _route_remembered(request, path)
    return wagtail_views.serve(request, path)


def _route_remembered(request, path: str) -> None:
    key = f"catalog:route:{catalog_generation()}:{request.get_host()}:{path}"
    remembered = cache.get(key)
    if remembered is not None:
        request._wagtail_site, page = remembered
        request._wagtail_route_for_request = RouteResult(page)
        return
    route = Page.route_for_request(request, path)
    if route is None:
        return
    page, args, kwargs = route
    if not args and not kwargs and page.live:
        if hasattr(page, "restricting_page_ids"):
            page.restricting_page_ids()  # kept on the page, so stored with it
        cache.set(key, (Site.find_for_request(request), page), ROUTE_TTL)
