"""Certificates of attendance: issued once per completed course, signed so a changed certificate
is detected, revoked (never deleted) by staff."""

import json
import logging
import secrets
import unicodedata
from datetime import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog import api as catalog_api

from ..models import Certificate, LedgerEntry, ProfessionalProfile
from ..models.certificates import CERTIFICATE_CODE_ALPHABET, CERTIFICATE_CODE_LENGTH

logger = logging.getLogger(__name__)

CERTIFICATE_SIGNING_SALT = "accreditation.certificate"
REVOKE_LOG_ACTION = "accreditation.certificate_revoke"
CERTIFICATE_LINE_KEYS = ("register", "register_name", "points", "category", "activity_id")


def certificate_payload(*, certificate: Certificate) -> str:
    """What the certificate states, as canonical JSON: the same bytes for the same statement
    on every database and in every process."""
    statement = {
        "code": certificate.code,
        "name": certificate.learner_name,
        "big_number": certificate.big_number,
        "course_id": certificate.course_id,
        "course": certificate.course_title,
        "provider": certificate.provider_name,
        "date": certificate.completed_on.isoformat(),
        "lines": [
            {key: str(line.get(key, "")) for key in CERTIFICATE_LINE_KEYS}
            for line in certificate.lines
        ],
    }
    return json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def certificate_signature(*, certificate: Certificate) -> str:
    signer = signing.Signer(salt=CERTIFICATE_SIGNING_SALT)
    return signer.signature(certificate_payload(certificate=certificate))


def certificate_signature_matches(*, certificate: Certificate, signature: str) -> bool:
    """Whether a signature (from the printed code or the QR) belongs to what the certificate
    states now; also accepts signatures made with an earlier key in SECRET_KEY_FALLBACKS."""
    signer = signing.Signer(salt=CERTIFICATE_SIGNING_SALT)
    try:
        signer.unsign(f"{certificate_payload(certificate=certificate)}{signer.sep}{signature}")
    except signing.BadSignature:
        return False
    return True


def certificate_code_normalise(raw: str) -> str:
    """A code as a learner or verifier types, copies or wraps it: any case, with or without
    dashes, spaces, line breaks, slashes or a full stop; only its letters and digits count."""
    text = unicodedata.normalize("NFKC", raw).upper()
    return "".join(character for character in text if character.isascii() and character.isalnum())


def _certificate_code_new() -> str:
    return "".join(
        secrets.choice(CERTIFICATE_CODE_ALPHABET) for _i in range(CERTIFICATE_CODE_LENGTH)
    )


def _course_heading(*, course_id: int, fallback_title: str) -> catalog_api.CourseHeading:
    heading = catalog_api.course_heading_get(course_id=course_id)
    return heading or catalog_api.CourseHeading(title=fallback_title, provider="")


def _award_lines(*, user_id: int, course_id: int) -> list[dict]:
    awards = (
        LedgerEntry.objects.filter(
            user_id=user_id, course_id=course_id, kind=LedgerEntry.Kind.AWARD
        )
        .exclude(reversed_by__isnull=False)
        .select_related("register", "category")
        .order_by("register__sort_order", "register__short_name")
    )
    return [
        {
            "register": award.register.short_name,
            "register_name": award.register.name,
            "points": str(award.points),
            "category": award.category.name,
            "activity_id": award.activity_id,
        }
        for award in awards
    ]


def certificate_issue(
    *, user_id: int, course_id: int, completed_at: datetime
) -> Certificate | None:
    """The certificate for a completed course, issued with what the learner was awarded for it.
    Idempotent: a certificate that exists is returned as it is, also under concurrent calls; one
    staff revoked is not issued again by a later report.
    None while the learner has not given their name: a certificate is made out to the
    participant by name (registers' rule), never to an e-mail address. Saving the name in the
    profile reports the learner's completions again, which issues it then."""
    first = (
        Certificate.objects.filter(user_id=user_id, course_id=course_id)
        .order_by(F("revoked_at").asc(nulls_first=True))
        .first()
    )
    if first is not None:
        return None if first.is_revoked else first
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=user_id)
    if not user.has_name:
        logger.info("Certificate for course %s waits for learner %s's name.", course_id, user_id)
        return None
    fallback_title = (
        LedgerEntry.objects.filter(user_id=user_id, course_id=course_id)
        .values_list("title", flat=True)
        .first()
    )
    course = _course_heading(course_id=course_id, fallback_title=fallback_title or "")
    if timezone.is_aware(completed_at):
        completed_on = timezone.localdate(completed_at)
    else:
        completed_on = completed_at.date()
    return _certificate_create(
        user=user,
        course_id=course_id,
        course=course,
        completed_on=completed_on,
        lines=_award_lines(user_id=user_id, course_id=course_id),
    )


def _certificate_create(*, user, course_id: int, course, completed_on, lines) -> Certificate:
    profile = ProfessionalProfile.objects.filter(user_id=user.pk).first()
    for _attempt in range(5):
        certificate = Certificate(
            user=user,
            course_id=course_id,
            course_title=course.title[:255],
            provider_name=course.provider[:255],
            completed_on=completed_on,
            learner_name=user.get_full_name()[:255],
            big_number=profile.big_number if profile else "",
            lines=lines,
            code=_certificate_code_new(),
        )
        try:
            with transaction.atomic():
                certificate.save()
        except IntegrityError:
            # Either a concurrent call issued it first, or (very rarely) the code was taken.
            existing = Certificate.objects.filter(
                user_id=user.pk, course_id=course_id, revoked_at__isnull=True
            ).first()
            if existing is not None:
                return existing
            continue
        return certificate
    raise RuntimeError("No free certificate code after five attempts.")


def certificate_restate(
    *, user_id: int, course_id: int, reason: str, by=None
) -> Certificate | None:
    """An award for a course was reversed or corrected: the certificate that stated it is
    revoked with the reason and, while awards remain, reissued (new code) stating those."""
    current = (
        Certificate.objects.select_for_update()
        .filter(user_id=user_id, course_id=course_id, revoked_at__isnull=True)
        .first()
    )
    if current is None:
        return None
    lines = _award_lines(user_id=user_id, course_id=course_id)
    if lines == current.lines:
        return current
    certificate_revoke(certificate=current, reason=reason, by=by)
    if not lines:
        return None
    return _certificate_create(
        user=current.user,
        course_id=course_id,
        course=catalog_api.CourseHeading(
            title=current.course_title, provider=current.provider_name
        ),
        completed_on=current.completed_on,
        lines=lines,
    )


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, by) -> Certificate:
    """Withdraw a certificate: the verification page says so from now on. Logged for audit."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise ValidationError(_("This certificate has already been revoked."), code="revoked_twice")
    if not reason.strip():
        raise ValidationError(_("Say why the certificate is revoked."), code="reason_required")
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.revoked_reason = reason.strip()
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    from wagtail.log_actions import log

    log(
        instance=certificate,
        action=REVOKE_LOG_ACTION,
        user=by,
        data={"reason": certificate.revoked_reason},
    )
    return certificate
