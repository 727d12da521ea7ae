"""Enrolling learners in paid courses: by staff, or by redeeming a voucher code."""

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Enrolment, Voucher

_CODE_CLEAN = re.compile(r"[^A-Z0-9-]")


class VoucherRefused(Exception):
    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def voucher_code_normalise(code: str) -> str:
    """As printed, typed with spaces or in lower case: all the same code."""
    return _CODE_CLEAN.sub("", (code or "").strip().upper().replace(" ", "-"))[:32]


NOT_VALID = _(
    "This voucher code is not valid (anymore). Check it for typing errors, or ask whoever gave "
    "it to you for a new one."
)


@transaction.atomic
def voucher_redeem(*, user, code: str) -> Enrolment:
    """Enrol the learner in the voucher's course, using one of its uses; a learner who is
    already enrolled keeps their enrolment and uses nothing."""
    code = voucher_code_normalise(code)
    if len(code) < 4:
        raise VoucherRefused(_("Enter the voucher code as it was given to you."))
    voucher = Voucher.objects.select_for_update().filter(code=code).first()
    if voucher is None:
        raise VoucherRefused(NOT_VALID)
    existing = Enrolment.objects.filter(user=user, course_id=voucher.course_id).first()
    if existing is not None:
        return existing
    # Unknown, expired or used up: one answer, so guessing tells nobody a code exists.
    if voucher.valid_until and voucher.valid_until < timezone.localdate():
        raise VoucherRefused(NOT_VALID)
    if voucher.uses >= voucher.max_uses:
        raise VoucherRefused(NOT_VALID)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                user=user,
                course_id=voucher.course_id,
                source=Enrolment.Source.VOUCHER,
                voucher=voucher,
            )
    except IntegrityError:  # enrolled a moment ago in another request
        return Enrolment.objects.get(user=user, course_id=voucher.course_id)
    Voucher.objects.filter(pk=voucher.pk).update(uses=F("uses") + 1)
    return enrolment
