"""The learner's accreditation pages: standing per register, work hours, activities."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from accreditation.models import ActivityCategory, LedgerEntry, Register, WorkHoursEntry
from accreditation.work_hours.services import big_decision_record, work_hours_entry_add
from tests.accreditation.factories import awards_make, registration_make
from tests.factories import learner_with_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client):
    user = learner_with_profile(big_number="19012345601")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return user


def test_the_dashboard_shows_points_still_needed_and_the_big_prc_route(client, learner):
    registration_make(
        user=learner, register_slug="venvn", start=date(2025, 1, 1), end=date(2029, 12, 31)
    )
    awards_make(
        user=learner,
        register_slug="venvn",
        earned_on=date(2025, 6, 1),
        points={"geaccrediteerd": 70, "overig": 80},
    )
    big_decision_record(user=learner, decided_on=date(2021, 1, 1))
    work_hours_entry_add(
        user=learner,
        kind="contract",
        start=date(2021, 1, 1),
        end=date(2025, 12, 31),
        hours_per_week=Decimal(4),
    )
    response = client.get("/accreditatie/")
    assert response.status_code == 200
    assert "Still needed: 34.0 points." in response.text
    assert "Of which 10.0 accredited." in response.text
    assert "1043.4" in response.text
    assert "scholingseis" in response.text


def test_an_overlapping_work_period_is_refused_on_the_page(client, learner):
    data = {"kind": "contract", "start": "2024-01-01", "end": "2024-12-31", "hours_per_week": "24"}
    assert client.post("/accreditatie/werkuren/", data).status_code == 302
    response = client.post("/accreditatie/werkuren/", {**data, "start": "2024-06-01"})
    assert response.status_code == 400
    assert "These dates overlap your entry from 01/01/2024 to 31/12/2024." in response.text
    assert WorkHoursEntry.objects.filter(user=learner).count() == 1


def test_a_learner_adds_an_activity_with_a_certificate(client, learner):
    response = client.post(
        "/accreditatie/activiteit-toevoegen/",
        {
            "register": Register.objects.get(slug="venvn").pk,
            "category": ActivityCategory.objects.get(slug="overig").pk,
            "title": "Symposium palliatieve zorg",
            "points": "4",
            "earned_on": "2026-02-10",
            "evidence": SimpleUploadedFile("bewijs.pdf", b"%PDF-1.4\n%%EOF\n", "text/plain"),
        },
    )
    assert response.status_code == 302
    assert LedgerEntry.objects.get(user=learner).title == "Symposium palliatieve zorg"


def test_an_activity_with_a_fake_certificate_is_refused_on_the_page(client, learner):
    response = client.post(
        "/accreditatie/activiteit-toevoegen/",
        {
            "register": Register.objects.get(slug="venvn").pk,
            "category": ActivityCategory.objects.get(slug="overig").pk,
            "title": "Symposium",
            "points": "4",
            "earned_on": "2026-02-10",
            "evidence": SimpleUploadedFile(
                "bewijs.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"
            ),
        },
    )
    assert response.status_code == 400
    assert "must be a PDF or a photo" in response.text
    assert not LedgerEntry.objects.exists()


def test_the_big_page_sets_the_deadline(client, learner):
    response = client.post(
        "/accreditatie/big-herregistratie/",
        {"big_number": "190 123 456 01", "decided_on": "2024-05-01"},
    )
    assert response.status_code == 302
    registration = learner.registrations.get(register__slug="big")
    assert registration.period_end == date(2029, 5, 1)
