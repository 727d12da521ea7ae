"""The learner's portfolio per register and period, for the re-registration application:
every activity that counts, as CSV (streamed) or as a PDF to attach. Activities just outside
the registration's period are listed too, each with the reason it does not count, so none
goes missing without a word."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import LedgerEntry, Register, Registration
from ..standing.evaluations import register_evaluations
from ..standing.period_notes import outside_period_note
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
    # Why the activity does not count toward the registration's period; empty when it does.
    note: str = ""

    @property
    def counts(self) -> bool:
        return not self.note


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


def _days_wanted(*, start: date, end: date, period: tuple[date, date] | None) -> Q:
    """The asked days and, where they cover the whole period, the days just outside it: the
    previous period's length before it and anything after it."""
    wanted = Q(earned_on__gte=start, earned_on__lte=end)
    if period and start <= period[0] and period[1] <= end:
        first, last = period
        previous_start = first - (last - first + timedelta(days=1))
        wanted |= Q(earned_on__gte=previous_start, earned_on__lt=first) | Q(earned_on__gt=last)
    return wanted


def portfolio_lines(
    *,
    registration: Registration,
    start: date,
    end: date,
    period: tuple[date, date] | None = None,
) -> Iterator[PortfolioLine]:
    """The activities of the asked days, with those outside the registration's ``period``
    marked with the reason; corrected entries and their corrections are left out. Read in
    chunks, so a long portfolio stays in constant memory."""
    kinds = dict(LedgerEntry.Kind.choices)
    rows = (
        LedgerEntry.objects.filter(
            _days_wanted(start=start, end=end, period=period),
            user_id=registration.user_id,
            register_id=registration.register_id,
            reversed_by__isnull=True,
        )
        .exclude(kind=LedgerEntry.Kind.REVERSAL)
        .order_by("earned_on", "pk")
        .values_list("earned_on", "title", "activity_id", "category__name", "kind", "points")
    )
    # Worded now, in the language of the request, not while the response streams.
    notes = {}
    if period:
        day_before, day_after = period[0] - timedelta(days=1), period[1] + timedelta(days=1)
        notes = {
            side: _("Does not count: %(reason)s.") % {"reason": outside_period_note(day, *period)}
            for side, day in (("before", day_before), ("after", day_after))
        }
    return _lines(rows.iterator(chunk_size=2000), kinds=kinds, notes=notes, period=period)


def _lines(rows: Iterable[tuple], *, kinds, notes, period) -> Iterator[PortfolioLine]:
    for earned_on, title, activity_id, category, kind, points in rows:
        note = ""
        if period and earned_on < period[0]:
            note = notes["before"]
        elif period and earned_on > period[1]:
            note = notes["after"]
        yield PortfolioLine(earned_on, title, activity_id, category, str(kinds[kind]), points, note)


def portfolio_header() -> list[str]:
    return [
        _("Date"),
        _("Activity"),
        _("Activity ID"),
        _("Category"),
        _("Kind"),
        _("Points"),
        _("Note"),
    ]


def portfolio_csv_lines(
    *,
    registration: Registration,
    start: date,
    end: date,
    period: tuple[date, date] | None = None,
) -> Iterator[str]:
    lines = (
        (
            line.earned_on.isoformat(),
            line.title,
            line.activity_id,
            line.category,
            line.kind,
            decimal_comma(line.points),
            line.note,
        )
        for line in portfolio_lines(registration=registration, start=start, end=end, period=period)
    )
    return csv_stream(header=portfolio_header(), rows=lines)


def portfolio_filename(*, registration: Registration, start: date, end: date, suffix: str) -> str:
    return f"portfolio-{registration.register.slug}-{start:%Y%m%d}-{end:%Y%m%d}.{suffix}"


def portfolio_pdf_render(
    *,
    registration: Registration,
    start: date,
    end: date,
    period: tuple[date, date] | None = None,
) -> bytes:
    from weasyprint import HTML

    user = registration.user
    profile = getattr(user, "professional_profile", None)
    # A portfolio goes to a Dutch register, whatever the site language.
    with translation.override(settings.LANGUAGE_CODE):
        lines = list(
            portfolio_lines(registration=registration, start=start, end=end, period=period)
        )
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
                "total": sum((line.points for line in lines if line.counts), Decimal(0)),
                "not_counted": sum((line.points for line in lines if not line.counts), Decimal(0)),
                "made_on": timezone.localdate(),
            },
        )
    return HTML(string=html).write_pdf()
