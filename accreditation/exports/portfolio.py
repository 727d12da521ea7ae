"""The learner's portfolio per register and period, for the re-registration application:
every activity that counts, as CSV (streamed) or as a PDF to attach."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import LedgerEntry, Register, Registration
from ..standing.evaluations import register_evaluations
from .csv_stream import csv_stream, decimal_comma

PORTFOLIO_PDF_TEMPLATE = "accreditation/portfolio_pdf.html"


@dataclass(frozen=True)
class PortfolioLine:
    earned_on: date
    title: str
    activity_id: str
    category: str
    kind: str
    points: Decimal


def portfolio_registration_get(*, user, register_slug: str) -> Registration | None:
    """The learner's own registration in a point register; None for anyone else's."""
    return (
        Registration.objects.select_related("register")
        .filter(user=user, register__slug=register_slug, register__kind=Register.Kind.POINTS)
        .first()
    )


def portfolio_default_period(*, registration: Registration) -> tuple[date, date]:
    """The period the register will check: the one its evaluation runs over."""
    for evaluation in register_evaluations(user_id=registration.user_id, on=timezone.localdate()):
        if evaluation.register_id == registration.register_id:
            return evaluation.period_start, evaluation.period_end
    raise LookupError(registration.pk)


def portfolio_lines(
    *, registration: Registration, start: date, end: date
) -> Iterator[PortfolioLine]:
    """What counts in the period: corrected entries and their corrections are left out. Read in
    chunks, so a long portfolio stays in constant memory."""
    kinds = dict(LedgerEntry.Kind.choices)
    rows = (
        LedgerEntry.objects.filter(
            user_id=registration.user_id,
            register_id=registration.register_id,
            earned_on__gte=start,
            earned_on__lte=end,
            reversed_by__isnull=True,
        )
        .exclude(kind=LedgerEntry.Kind.REVERSAL)
        .order_by("earned_on", "pk")
        .values_list("earned_on", "title", "activity_id", "category__name", "kind", "points")
    )
    for earned_on, title, activity_id, category, kind, points in rows.iterator(chunk_size=2000):
        yield PortfolioLine(earned_on, title, activity_id, category, str(kinds[kind]), points)


def portfolio_header() -> list[str]:
    return [
        _("Date"),
        _("Activity"),
        _("Activity ID"),
        _("Category"),
        _("Kind"),
        _("Points"),
    ]


def portfolio_csv_lines(*, registration: Registration, start: date, end: date) -> Iterator[str]:
    lines = (
        (
            line.earned_on.isoformat(),
            line.title,
            line.activity_id,
            line.category,
            line.kind,
            decimal_comma(line.points),
        )
        for line in portfolio_lines(registration=registration, start=start, end=end)
    )
    return csv_stream(header=portfolio_header(), rows=lines)


def portfolio_filename(*, registration: Registration, start: date, end: date, suffix: str) -> str:
    return f"portfolio-{registration.register.slug}-{start:%Y%m%d}-{end:%Y%m%d}.{suffix}"


def portfolio_pdf_render(*, registration: Registration, start: date, end: date) -> bytes:
    from weasyprint import HTML

    lines = list(portfolio_lines(registration=registration, start=start, end=end))
    user = registration.user
    profile = getattr(user, "professional_profile", None)
    # A portfolio goes to a Dutch register, whatever the site language.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            PORTFOLIO_PDF_TEMPLATE,
            {
                "registration": registration,
                "register": registration.register,
                "learner_name": user.get_full_name() or user.email,
                "big_number": profile.big_number if profile else "",
                "start": start,
                "end": end,
                "lines": lines,
                "total": sum((line.points for line in lines), Decimal(0)),
                "made_on": timezone.localdate(),
            },
        )
    return HTML(string=html).write_pdf()
