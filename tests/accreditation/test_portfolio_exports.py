"""Portfolio downloads for learners and attendance lists for providers: streamed, safe in a
spreadsheet, and only for whoever may see them."""

import csv
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from inspect import isgenerator

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.http import StreamingHttpResponse

from accreditation.exports.attendance import course_attendance_rows
from accreditation.ledger.services import ledger_entry_reverse
from accreditation.models import ActivityCategory, LedgerEntry, Register
from tests.accreditation.factories import registration_make
from tests.factories import UserFactory, course_publish, learner_with_profile

pytestmark = pytest.mark.django_db
BOM = "\ufeff"


def _award(user, *, title: str, points, earned_on: date, course_id: int, activity_id="A-1"):
    return LedgerEntry.objects.create(
        user=user,
        register=Register.objects.get(slug="venvn"),
        kind=LedgerEntry.Kind.AWARD,
        points=Decimal(str(points)),
        category=ActivityCategory.objects.get(slug="geaccrediteerd"),
        earned_on=earned_on,
        title=title,
        course_id=course_id,
        activity_id=activity_id,
    )


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.fixture
def learner(client):
    user = learner_with_profile(big_number="19012345601")
    registration_make(
        user=user, register_slug="venvn", start=date(2025, 1, 1), end=date(2029, 12, 31)
    )
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return user


def test_the_portfolio_csv_lists_the_period_and_marks_what_falls_outside_it(client, learner):
    _award(learner, title="Reanimatie", points="2.5", earned_on=date(2025, 3, 1), course_id=1)
    _award(learner, title='=HYPERLINK("x")', points=1, earned_on=date(2025, 4, 1), course_id=2)
    corrected = _award(learner, title="Dubbel", points=3, earned_on=date(2025, 5, 1), course_id=3)
    ledger_entry_reverse(entry=corrected, reason="Dubbel geboekt", by=UserFactory(is_staff=True))
    _award(learner, title="Te vroeg", points=4, earned_on=date(2024, 5, 1), course_id=4)
    response = client.get("/mijn-accreditatie/portfolio/venvn.csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "portfolio-venvn-20250101-20291231.csv" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == ["Date", "Activity", "Activity ID", "Category", "Kind", "Points", "Note"]
    assert [(r[0], r[1], r[5], r[6]) for r in rows[1:]] == [
        (
            "2024-05-01",
            "Te vroeg",
            "4,0",
            "Does not count: before your period (which begins 1-1-2025).",
        ),
        ("2025-03-01", "Reanimatie", "2,5", ""),
        ("2025-04-01", '\'=HYPERLINK("x")', "1,0", ""),
    ]


def test_the_portfolio_period_can_be_chosen(client, learner):
    _award(learner, title="Een", points=1, earned_on=date(2025, 3, 1), course_id=1)
    _award(learner, title="Twee", points=1, earned_on=date(2026, 3, 1), course_id=2)
    response = client.get("/mijn-accreditatie/portfolio/venvn.csv?van=2026-01-01&tot=2026-12-31")
    assert [r[1] for r in _csv(response)[1:]] == ["Twee"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("van=gisteren", "Enter the start as YYYY-MM-DD."),
        ("tot=2026-02-30", "Enter the end as YYYY-MM-DD."),
        ("van=2026-01-01&tot=2025-01-01", "The end of the period is before its start."),
        ("van=1900-01-01&tot=2026-01-01", "A portfolio covers at most ten years."),
    ],
)
def test_a_bad_period_is_a_clear_400(client, learner, query, message):
    for suffix in ("csv", "pdf"):
        response = client.get(f"/mijn-accreditatie/portfolio/venvn.{suffix}?{query}")
        assert response.status_code == 400
        assert message in response.text


def test_a_learner_only_gets_their_own_portfolio(client, learner):
    _award(learner, title="Van Anna", points=1, earned_on=date(2025, 3, 1), course_id=1)
    other = learner_with_profile()
    client.force_login(other)
    rows = _csv(client.get("/mijn-accreditatie/portfolio/venvn.csv"))
    assert rows[1:] == []
    assert client.get("/mijn-accreditatie/portfolio/rgs.csv").status_code == 404  # not in it
    assert client.get("/mijn-accreditatie/portfolio/big.csv").status_code == 404  # no points
    assert client.get("/mijn-accreditatie/portfolio/bestaat-niet.pdf").status_code == 404
    client.logout()
    assert client.get("/mijn-accreditatie/portfolio/venvn.csv").status_code == 302


def test_the_portfolio_pdf_is_a_pdf(client, learner):
    _award(learner, title="Reanimatie", points="2.5", earned_on=date(2025, 3, 1), course_id=1)
    response = client.get("/mijn-accreditatie/portfolio/venvn.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "portfolio-venvn-" in response["Content-Disposition"]


@pytest.fixture
def provider(client):
    user = learner_with_profile()
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="export_attendance"))
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return user


@pytest.fixture
def course():
    return course_publish(title="Reanimatie", accreditations=[("venvn", 3, date(2099, 1, 1))])


def test_the_attendance_csv_has_the_columns_registers_ask_for(client, provider, course):
    attendee = learner_with_profile(big_number="19012345601")
    attendee.last_name, attendee.first_name = "=cmd|' /C calc'!A0", "Jan Willem"
    attendee.save()
    _award(
        attendee,
        title="Reanimatie",
        points=3,
        earned_on=date(2026, 3, 2),
        course_id=course.pk,
        activity_id="T-venvn",
    )
    response = client.get(
        "/mijn-accreditatie/export/aanwezigheid/", {"cursus": course.pk, "register": "venvn"}
    )
    assert isinstance(response, StreamingHttpResponse)
    rows = _csv(response)
    assert rows[0] == [
        "Activity",
        "Date",
        "Activity ID",
        "Surname",
        "Initials",
        "Profession",
        "BIG number",
        "Register",
        "Member number",
        "Points",
    ]
    assert rows[1] == [
        "Reanimatie",
        "2026-03-02",
        "T-venvn",
        "'=cmd|' /C calc'!A0",
        "J.W.",
        "Verpleegkundige",
        "19012345601",
        "V&VN Kwaliteitsregister",
        "",
        "3,0",
    ]


def test_attendance_needs_the_permission(client, course):
    client.force_login(learner_with_profile())
    url = "/mijn-accreditatie/export/aanwezigheid/"
    assert client.get(url, {"cursus": course.pk, "register": "venvn"}).status_code == 403
    staff = learner_with_profile()
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(url, {"cursus": course.pk, "register": "venvn"}).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"cursus": "abc", "register": "venvn"}, "The course must be a number."),
        ({"cursus": "1", "register": "onbekend"}, "This register is not known."),
        ({"register": "venvn"}, "Choose a course."),
        ({"cursus": "99999999999999999999999", "register": "venvn"}, "Ensure this value"),
        ({"cursus": "COURSE", "register": "rgs"}, "This course is not accredited in RGS."),
    ],
)
def test_bad_attendance_parameters_are_a_clear_400(client, provider, course, query, message):
    query = {k: str(course.pk) if v == "COURSE" else v for k, v in query.items()}
    response = client.get("/mijn-accreditatie/export/aanwezigheid/", query)
    assert response.status_code == 400
    assert message in response.text


def test_the_attendance_form_without_parameters_is_a_page(client, provider):
    response = client.get("/mijn-accreditatie/export/aanwezigheid/")
    assert response.status_code == 200 and 'name="cursus"' in response.text


def test_twenty_thousand_rows_stream_without_building_a_list(client, provider, course):
    from django.contrib.auth import get_user_model

    attendees = get_user_model().objects.bulk_create(
        get_user_model()(email=f"deelnemer{n}@example.org", first_name="Sam", last_name=f"D{n}")
        for n in range(20_000)
    )
    register = Register.objects.get(slug="venvn")
    category = ActivityCategory.objects.get(slug="geaccrediteerd")
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            user=attendee,
            register=register,
            kind=LedgerEntry.Kind.AWARD,
            points=Decimal(1),
            category=category,
            earned_on=date(2026, 3, 2),
            title="Reanimatie",
            course_id=course.pk,
            activity_id="T-1",
        )
        for attendee in attendees
    )
    rows = course_attendance_rows(course_id=course.pk, register_id=register.pk)
    assert isgenerator(rows)
    response = client.get(
        "/mijn-accreditatie/export/aanwezigheid/", {"cursus": course.pk, "register": "venvn"}
    )
    assert isinstance(response, StreamingHttpResponse)
    content = response.streaming_content
    assert isinstance(content, Iterator) and not isinstance(content, list | tuple)
    first = next(content)
    assert first.startswith(BOM.encode())
    assert sum(1 for _line in content) == 20_000
