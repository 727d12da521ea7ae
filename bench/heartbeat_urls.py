"""The product's URLs and, beside them, a view that does nothing: the ceiling a request can
reach through the same server, middleware and session cookie."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lms import urls as product_urls

handler400 = product_urls.handler400
handler403 = product_urls.handler403
handler404 = product_urls.handler404
handler500 = product_urls.handler500

MINIMAL_PATH = "bench/minimaal/"


@csrf_exempt
@require_POST
def minimal(request):
    return HttpResponse(status=204)


urlpatterns = [path(MINIMAL_PATH, minimal), path("", include(product_urls))]
