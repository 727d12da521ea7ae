"""The ingest server's callbacks (nginx-rtmp's on_publish and on_publish_done, decision 17).
Only nginx on this machine may call them: they carry no credentials of their own. nginx accepts
a publisher on any 2xx or 3xx answer; a 3xx renames the stream to the Location, so the encoder
reads it under the stream's id and never under the presenter's key."""

from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..streaming.ingest import publish_check, publish_done

LOOPBACK = {"127.0.0.1", "::1"}


def _from_loopback(request) -> bool:
    return request.META.get("REMOTE_ADDR") in LOOPBACK


@csrf_exempt
@require_POST
def on_publish(request):
    if not _from_loopback(request):
        return HttpResponseForbidden("ingest callbacks come from this machine only")
    answer = publish_check(
        key=request.POST.get("name", ""),
        client=request.POST.get("clientid", "")[:40],
        address=_address(request.POST.get("addr", "")),
    )
    if not answer.accepted:
        return HttpResponseForbidden(str(answer.refusal))
    response = HttpResponse(status=302)
    response["Location"] = str(answer.stream.uuid)
    return response


@csrf_exempt
@require_POST
def on_publish_done(request):
    if not _from_loopback(request):
        return HttpResponseForbidden("ingest callbacks come from this machine only")
    publish_done(name=request.POST.get("name", ""), client=request.POST.get("clientid", "")[:40])
    return HttpResponse("ok")


def _address(text: str) -> str | None:
    host = text.rsplit(":", 1)[0] if text.count(":") == 1 else text
    return host.strip("[]") or None
