from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from lms.ratelimit import client_ip, rate_limit_allows

from .pdf import certificate_pdf_filename, certificate_pdf_render
from .selectors import (
    VerificationStatus,
    certificate_get_for_viewer,
    certificate_verify,
)

# Codes are random but short: a visitor gets this many lookups a minute.
VERIFICATIONS_PER_MINUTE = 30


@login_required
@never_cache
def certificate_pdf(request, certificate_id: int):
    certificate = certificate_get_for_viewer(certificate_id=certificate_id, viewer=request.user)
    if certificate is None:
        raise Http404
    return certificate_pdf_response(request, certificate)


def certificate_pdf_response(request, certificate) -> HttpResponse:
    response = HttpResponse(
        certificate_pdf_render(certificate=certificate, request=request),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{certificate_pdf_filename(certificate)}"'
    )
    return response


def _verification_allowed(request) -> bool:
    return rate_limit_allows(
        f"certificate-verify:{client_ip(request)}", limit=VERIFICATIONS_PER_MINUTE, seconds=60
    )


@never_cache
def certificate_verification(request, code: str):
    if not _verification_allowed(request):
        response = render(request, "accreditation/certificate_rate_limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    verification = certificate_verify(code=code, signature=request.GET.get("s"))
    return render(
        request,
        "accreditation/certificate_verification.html",
        {"verification": verification},
        status=404 if verification.status == VerificationStatus.UNKNOWN else 200,
    )
