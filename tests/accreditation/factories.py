"""Ledger and registration data for accreditation tests."""

from datetime import date
from decimal import Decimal
from itertools import count

from accreditation.models import ActivityCategory, LedgerEntry, Register, Registration

_course_ids = count(900_000)


def registration_make(*, user, register_slug: str, start: date, end: date | None) -> Registration:
    registration, _created = Registration.objects.update_or_create(
        user=user,
        register=Register.objects.get(slug=register_slug),
        defaults={"period_start": start, "period_end": end},
    )
    return registration


def awards_make(*, user, register_slug: str, earned_on: date, points: dict[str, float]) -> None:
    """Award entries per category slug, in pieces of at most 10 points, as courses would."""
    register = Register.objects.get(slug=register_slug)
    categories = {c.slug: c for c in ActivityCategory.objects.all()}
    entries = []
    for slug, total in points.items():
        left = Decimal(str(total))
        while left > 0:
            piece = min(left, Decimal(10))
            entries.append(
                LedgerEntry(
                    user=user,
                    register=register,
                    kind=LedgerEntry.Kind.AWARD,
                    points=piece,
                    category=categories[slug],
                    earned_on=earned_on,
                    title="Cursus",
                    course_id=next(_course_ids),
                )
            )
            left -= piece
    LedgerEntry.objects.bulk_create(entries)
