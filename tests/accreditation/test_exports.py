"""Attendance exports that a spreadsheet opens without running anything."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accreditation import api
from accreditation.exports.attendance import (
    AttendanceRow,
    attendance_csv_lines,
    course_attendance_rows,
    spreadsheet_safe,
)
from accreditation.ledger.services import ledger_entry_reverse
from accreditation.models import LedgerEntry, Register
from tests.factories import UserFactory, course_publish, learner_with_profile


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Jansen", "Jansen"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_get_an_apostrophe(value, safe):
    assert spreadsheet_safe(value) == safe


def test_the_csv_stream_writes_a_header_and_one_line_per_row():
    row = AttendanceRow(
        "=cmd|' /C calc'!A0",
        date(2026, 3, 2),
        "GAIA-1",
        "de Vries",
        "A.",
        "Arts",
        "19012345601",
        "RGS",
        "",
        Decimal("2.5"),
    )
    lines = list(attendance_csv_lines([row, row]))
    parsed = list(csv.reader(io.StringIO("".join(lines))))
    assert len(parsed) == 3
    assert parsed[1][0] == "'=cmd|' /C calc'!A0"
    assert parsed[1][1:4] == ["2026-03-02", "GAIA-1", "de Vries"]


@pytest.mark.django_db
def test_a_course_export_lists_awarded_learners_without_reversed_ones():
    course = course_publish(title="Reanimatie", accreditations=[("venvn", 3, date(2030, 1, 1))])
    kept = learner_with_profile(big_number="19012345601")
    dropped = learner_with_profile(big_number="19012345602")
    at = timezone.make_aware(datetime(2026, 3, 2, 10, 0))
    for user in (kept, dropped):
        api.course_completed(user_id=user.pk, course_id=course.pk, completed_at=at)
    ledger_entry_reverse(
        entry=LedgerEntry.objects.get(user=dropped),
        reason="Niet volledig bijgewoond",
        by=UserFactory(is_staff=True),
    )
    venvn = Register.objects.get(slug="venvn")
    rows = list(course_attendance_rows(course_id=course.pk, register_id=venvn.pk))
    assert [(r.last_name, r.initials, r.big_number, r.points) for r in rows] == [
        ("Visser", "A.", "19012345601", Decimal(3))
    ]
    assert rows[0].profession == "Verpleegkundige"


@pytest.mark.django_db
def test_the_surname_and_initials_columns_come_from_the_learners_names():
    course = course_publish(title="Triage", accreditations=[("venvn", 2, date(2030, 1, 1))])
    entered = learner_with_profile(big_number="19012345603")
    entered.first_name, entered.surname_prefix, entered.last_name = "Johanna", "van der", "Berg"
    entered.initials = "J.M."
    entered.save()
    derived = learner_with_profile(big_number="19012345604")
    derived.first_name, derived.last_name = "Anne-Fleur", "Bakker"
    derived.save()
    at = timezone.make_aware(datetime(2026, 3, 2, 10, 0))
    for user in (entered, derived):
        api.course_completed(user_id=user.pk, course_id=course.pk, completed_at=at)
    venvn = Register.objects.get(slug="venvn")
    rows = list(course_attendance_rows(course_id=course.pk, register_id=venvn.pk))
    # Sorted on the surname without its tussenvoegsel: Bakker before (van der) Berg.
    assert [(row.last_name, row.initials) for row in rows] == [
        ("Bakker", "A.F."),
        ("van der Berg", "J.M."),
    ]
