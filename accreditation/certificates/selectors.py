"""Reads of certificates: a learner's own, one for a permitted viewer, and public verification."""

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlencode

from django.urls import reverse

from ..models import Certificate
from ..models.certificates import CERTIFICATE_CODE_ALPHABET, CERTIFICATE_CODE_LENGTH
from .services import certificate_code_normalise, certificate_signature_matches

VIEW_ANY_CERTIFICATE_PERMISSION = "accreditation.view_certificate"
BIG_NUMBER_DIGITS_SHOWN = 3
# A signature is URL-safe base64; anything else in it came from wrapping or copying.
_NOT_IN_SIGNATURE = re.compile(r"[^A-Za-z0-9_-]")


def certificate_list(*, user) -> list[Certificate]:
    return list(Certificate.objects.filter(user=user))


def certificate_list_stating_course(*, user_id: int, course_id: int | None) -> list[Certificate]:
    """The learner's certificates for a course that still stand: those a correction of an
    award for that course changes."""
    if course_id is None:
        return []
    return list(
        Certificate.objects.filter(user_id=user_id, course_id=course_id, revoked_at__isnull=True)
    )


def certificate_get_for_viewer(*, certificate_id: int, viewer) -> Certificate | None:
    """The certificate if this viewer may see it: its learner, or staff allowed to see any.
    None otherwise, so callers answer "not found" and do not reveal that it exists."""
    if not viewer.is_authenticated:
        return None
    certificates = Certificate.objects.all()
    if not (viewer.is_staff and viewer.has_perm(VIEW_ANY_CERTIFICATE_PERMISSION)):
        certificates = certificates.filter(user=viewer)
    return certificates.filter(pk=certificate_id).first()


def big_number_masked(big_number: str) -> str:
    """Only the last digits, enough for a verifier to compare with the paper copy."""
    if not big_number:
        return ""
    shown = big_number[-BIG_NUMBER_DIGITS_SHOWN:]
    return "•" * (len(big_number) - len(shown)) + shown


class VerificationStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CertificateVerification:
    status: VerificationStatus
    certificate: Certificate | None = None

    @property
    def big_number_masked(self) -> str:
        return big_number_masked(self.certificate.big_number) if self.certificate else ""


def certificate_code_well_formed(code: str) -> bool:
    """Whether a normalised code could be a certificate's: its length, from its alphabet."""
    return len(code) == CERTIFICATE_CODE_LENGTH and all(
        character in CERTIFICATE_CODE_ALPHABET for character in code
    )


def certificate_signature_normalise(raw: str) -> str:
    """A signature as copied from a wrapped address: without spaces, line breaks or a full
    stop after it. Left as it came when nothing of a signature is in it, so it fails."""
    cleaned = _NOT_IN_SIGNATURE.sub("", raw)
    return cleaned or raw


def certificate_verification_path(*, code: str, signature: str | None = None) -> str:
    """The address of a normalised code's verification page, with the code as printed
    (XXXXX-XXXXX) and the signature if there is one."""
    printed = Certificate(code=code).code_display
    path = reverse("accreditation:certificate_verify", args=[printed])
    return path if signature is None else f"{path}?{urlencode({'s': signature})}"


def certificate_verify(*, code: str, signature: str | None) -> CertificateVerification:
    """What the public verification page says about a code. A signature (from the QR or the
    printed URL) must match what the certificate states now; without one, the code alone
    identifies the certificate. An unknown code and a failed signature look the same, so the
    page reveals nothing to someone guessing."""
    code = certificate_code_normalise(code)
    if not certificate_code_well_formed(code):
        return CertificateVerification(VerificationStatus.UNKNOWN)
    certificate = Certificate.objects.filter(code=code).first()
    if certificate is None:
        return CertificateVerification(VerificationStatus.UNKNOWN)
    if signature is not None and not certificate_signature_matches(
        certificate=certificate, signature=signature.strip()
    ):
        return CertificateVerification(VerificationStatus.UNKNOWN)
    if certificate.is_revoked:
        return CertificateVerification(VerificationStatus.REVOKED, certificate)
    return CertificateVerification(VerificationStatus.VALID, certificate)
