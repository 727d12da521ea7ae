from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from lms.ratelimit import client_ip, rate_limit_allows

from .forms import CertificateCodeForm
from .pdf import certificate_pdf_filename, certificate_pdf_render
from .selectors import (
    VerificationStatus,
    certificate_code_well_formed,
    certificate_get_for_viewer,
    certificate_signature_normalise,
    certificate_verification_path,
    certificate_verify,
)
from .services import certificate_code_normalise

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


def _verification_allowed(request, *, scope: str = "certificate-verify") -> bool:
    return rate_limit_allows(
        f"{scope}:{client_ip(request)}", limit=VERIFICATIONS_PER_MINUTE, seconds=60
    )


def _rate_limited(request):
    response = render(request, "accreditation/certificate_rate_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


@never_cache
def certificate_lookup(request):
    """A form to type the printed code; a well-formed code goes to its verification page."""
    if "code" not in request.GET:
        return render(
            request, "accreditation/certificate_lookup.html", {"form": CertificateCodeForm()}
        )
    # Its own allowance, so typing codes here does not use up the verification page's.
    if not _verification_allowed(request, scope="certificate-lookup"):
        return _rate_limited(request)
    form = CertificateCodeForm(request.GET)
    if form.is_valid():
        return redirect(certificate_verification_path(code=form.cleaned_data["code"]))
    return render(request, "accreditation/certificate_lookup.html", {"form": form}, status=400)


@never_cache
def certificate_verification(request, code: str):
    """The public verification page. An address that was wrapped, retyped or copied with
    something extra (spaces, case, dashes, a full stop) is sent to the address as printed."""
    code = certificate_code_normalise(code)
    signature = request.GET.get("s")
    if certificate_code_well_formed(code):
        if signature is not None:
            signature = certificate_signature_normalise(signature)
        printed = certificate_verification_path(code=code, signature=signature)
        if printed.split("?", 1)[0] != request.path or signature != request.GET.get("s"):
            return redirect(printed)
    if not _verification_allowed(request):
        return _rate_limited(request)
    verification = certificate_verify(code=code, signature=signature)
    return render(
        request,
        "accreditation/certificate_verification.html",
        {"verification": verification},
        status=404 if verification.status == VerificationStatus.UNKNOWN else 200,
    )
