"""Which page answers a URL, remembered between requests.

Wagtail finds a page by walking the tree a slug at a time: the site, its root, then a query for
each level and another for the specific page. When a webinar starts, thousands of learners open
the same episode page within seconds, so the answer (the site, the page's model and id) is
cached under the catalog generation (``generation.py``). The page itself is always loaded fresh
and must still be live; anything else is Wagtail's own walk, which is then remembered.

Wagtail keeps both answers on the request (``_wagtail_site``, ``_wagtail_route_for_request``), so
setting them there is all its serve view needs.
"""

from django.apps import apps
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
        site, model_label, page_id = remembered
        page = apps.get_model(model_label).objects.live().filter(pk=page_id).first()
        if page is not None:
            request._wagtail_site = site
            request._wagtail_route_for_request = RouteResult(page)
            return
    route = Page.route_for_request(request, path)
    if route is None:
        return
    page, args, kwargs = route
    if not args and not kwargs and page.live:
        site = Site.find_for_request(request)
        cache.set(key, (site, page._meta.label, page.pk), ROUTE_TTL)
