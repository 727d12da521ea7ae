"""Attendance exports for providers, to enter in GAIA or PE-online (accreditation.md, section 5):
per course and register, every learner who earned its points."""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from lms.accounts.names import initials_stated, surname_with_prefix

from ..models import LedgerEntry, Registration

# A spreadsheet runs a cell starting with one of these as a formula (CSV/formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AttendanceRow:
    title: str
    earned_on: date
    activity_id: str
    last_name: str
    initials: str
    profession: str
    big_number: str
    register: str
    member_number: str
    points: Decimal
    user_id: int = 0


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    """A file-like object that hands back what is written, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def attendance_header() -> list[str]:
    return [
        _("Activity"),
        _("Date"),
        _("Activity ID"),
        _("Surname"),
        _("Initials"),
        _("Profession"),
        _("BIG number"),
        _("Register"),
        _("Member number"),
        _("Points"),
    ]


def attendance_csv_lines(rows: Iterable[AttendanceRow]) -> Iterator[str]:
    """CSV lines, header first, one per attendee; for a StreamingHttpResponse."""
    writer = csv.writer(_Echo())
    yield writer.writerow([spreadsheet_safe(cell) for cell in attendance_header()])
    for row in rows:
        yield writer.writerow(
            [
                spreadsheet_safe(row.title),
                row.earned_on.isoformat(),
                spreadsheet_safe(row.activity_id),
                spreadsheet_safe(row.last_name),
                spreadsheet_safe(row.initials),
                spreadsheet_safe(row.profession),
                spreadsheet_safe(row.big_number),
                spreadsheet_safe(row.register),
                spreadsheet_safe(row.member_number),
                str(row.points),
            ]
        )


def course_attendance_rows(
    *, course_id: int, register_id: int, session_id: int | None = None
) -> Iterator[AttendanceRow]:
    """The learners awarded a course's points in a register (corrections left out), or with a
    session those awarded for attending it, read in chunks so an export of any size stays in
    constant memory."""
    member_number = Registration.objects.filter(
        user_id=OuterRef("user_id"), register_id=register_id
    ).values("member_number")[:1]
    entries = LedgerEntry.objects.filter(
        course_id=course_id,
        register_id=register_id,
        kind=LedgerEntry.Kind.AWARD,
        reversed_by__isnull=True,
    )
    if session_id is not None:
        entries = entries.filter(session_id=session_id)
    entries = (
        entries.annotate(member_number=Subquery(member_number))
        .order_by("user__last_name", "user__first_name", "pk")
        .values_list(
            "title",
            "earned_on",
            "activity_id",
            "user__surname_prefix",
            "user__last_name",
            "user__first_name",
            "user__initials",
            "user__professional_profile__profession__name",
            "user__professional_profile__big_number",
            "register__short_name",
            "member_number",
            "points",
            "user_id",
        )
    )
    for (
        title,
        earned_on,
        activity_id,
        surname_prefix,
        last_name,
        first_name,
        initials,
        profession,
        big_number,
        register,
        member,
        points,
        user_id,
    ) in entries.iterator(chunk_size=2000):
        yield AttendanceRow(
            title,
            earned_on,
            activity_id,
            surname_with_prefix(surname_prefix=surname_prefix, last_name=last_name),
            initials_stated(first_name=first_name, entered=initials),
            profession or "",
            big_number or "",
            register,
            member or "",
            points,
            user_id,
        )
