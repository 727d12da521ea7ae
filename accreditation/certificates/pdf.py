"""The certificate as a printable A4 PDF, rendered with WeasyPrint from a Django template."""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ..models import Certificate
from .selectors import certificate_verification_path
from .services import certificate_signature

CERTIFICATE_TEMPLATE = "accreditation/certificate.html"


def certificate_verification_url(*, certificate: Certificate, request=None) -> str:
    """The public page that confirms the certificate, carrying its signature; absolute, since
    it is printed and read from paper."""
    path = certificate_verification_path(
        code=certificate.code, signature=certificate_signature(certificate=certificate)
    )
    return _absolute(path, request=request)


def certificate_lookup_url(*, request=None) -> str:
    """The page where a verifier types the printed code."""
    return _absolute(reverse("accreditation:certificate_lookup"), request=request)


def _absolute(path: str, *, request=None) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def certificate_qr_svg(url: str) -> str:
    # Medium error correction survives a crease or a smudge on paper; inline SVG stays sharp.
    return segno.make(url, error="m", micro=False).svg_inline(
        scale=3, border=0, omitsize=True, dark="#10151c"
    )


def certificate_pdf_filename(certificate: Certificate) -> str:
    return f"leerstroom-certificaat-{certificate.code_display}.pdf"


def certificate_pdf_render(*, certificate: Certificate, request=None) -> bytes:
    from weasyprint import HTML

    url = certificate_verification_url(certificate=certificate, request=request)
    # Certificates are Dutch documents for Dutch registers, whatever the site language.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            CERTIFICATE_TEMPLATE,
            {
                "certificate": certificate,
                "verification_url": url,
                "verification_path": url.split("?", 1)[0],
                "lookup_url": certificate_lookup_url(request=request),
                "qr_svg": certificate_qr_svg(url),
            },
        )
    return HTML(string=html).write_pdf()
