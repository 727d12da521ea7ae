"""The points ledger only grows: corrections are new entries, evidence is checked by content."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from PIL import Image
from wagtail.models import ModelLogEntry

from accreditation import api
from accreditation.ledger.forms import ManualActivityForm
from accreditation.ledger.services import ledger_entry_reverse, manual_activity_add
from accreditation.models import ActivityCategory, LedgerEntry, Register
from tests.accreditation.factories import awards_make, registration_make
from tests.factories import UserFactory, learner_with_profile

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def entry():
    user = UserFactory()
    awards_make(user=user, register_slug="venvn", earned_on=date(2026, 1, 5), points={"overig": 4})
    return LedgerEntry.objects.get(user=user)


def _unchanged(entry):
    stored = LedgerEntry.objects.get(pk=entry.pk)
    assert (stored.points, stored.title) == (Decimal(4), "Cursus")


def test_the_orm_cannot_update_an_entry(entry):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(points=40)
    entry.points = Decimal(40)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        entry.save()
    _unchanged(entry)


def test_the_orm_cannot_delete_an_entry(entry):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        entry.delete()
    _unchanged(entry)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE accreditation_ledgerentry SET points = 40 WHERE id = %s",
        "DELETE FROM accreditation_ledgerentry WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_an_entry(entry, statement):
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [entry.pk])
    _unchanged(entry)


def test_a_reversal_cancels_an_entry_and_records_who_and_why(entry):
    staff = UserFactory(is_staff=True)
    reversal = ledger_entry_reverse(entry=entry, reason="Dubbel geregistreerd", by=staff)
    assert (reversal.kind, reversal.points, reversal.reverses_id) == ("reversal", -4, entry.pk)
    assert (reversal.created_by, reversal.reason) == (staff, "Dubbel geregistreerd")
    log = ModelLogEntry.objects.get(action="accreditation.ledger_reverse")
    assert (log.user, log.data["reversed_entry"]) == (staff, entry.pk)
    with pytest.raises(ValidationError):
        ledger_entry_reverse(entry=entry, reason="Nog eens", by=staff)
    with pytest.raises(ValidationError):
        ledger_entry_reverse(entry=reversal, reason="Terug", by=staff)
    assert LedgerEntry.objects.filter(user=entry.user).count() == 2


def test_a_reversed_award_no_longer_counts(entry):
    registration_make(
        user=entry.user, register_slug="venvn", start=date(2025, 1, 1), end=date(2029, 12, 31)
    )
    ledger_entry_reverse(entry=entry, reason="Niet bijgewoond", by=UserFactory(is_staff=True))
    [evaluation] = api.register_evaluations(user_id=entry.user_id, on=date(2026, 6, 1))
    assert (evaluation.earned, evaluation.counted) == (0, 0)


# --- activities learners add themselves ------------------------------------------------


def _form(user, evidence: SimpleUploadedFile, **fields):
    data = {
        "register": Register.objects.get(slug="venvn").pk,
        "category": ActivityCategory.objects.get(slug="overig").pk,
        "title": "Congres wondzorg",
        "points": "6",
        "earned_on": "2026-02-10",
        **fields,
    }
    return ManualActivityForm(data, {"evidence": evidence}, user=user)


def _add(user, form):
    return manual_activity_add(
        user=user,
        register=form.cleaned_data["register"],
        category_id=form.cleaned_data["category"].pk,
        title=form.cleaned_data["title"],
        points=form.cleaned_data["points"],
        earned_on=form.cleaned_data["earned_on"],
        evidence=form.cleaned_data["evidence"],
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("certificaat.pdf", PDF, "application/pdf"),
        ("foto.png", None, "image/png"),
    ],
)
def test_a_learner_adds_an_activity_with_a_pdf_or_photo(name, content, content_type):
    user = learner_with_profile()
    form = _form(user, SimpleUploadedFile(name, content or _png(), content_type))
    assert form.is_valid(), form.errors
    entry = _add(user, form)
    assert (entry.kind, entry.points, entry.created_by) == ("manual", 6, user)
    assert entry.evidence.name.startswith("accreditation/evidence/")


BAD_EVIDENCE = [
    (
        "text-named-pdf",
        SimpleUploadedFile("certificaat.pdf", b"just some text", "application/pdf"),
        "The evidence must be a PDF or a photo (JPEG, PNG or WebP); this file is neither.",
    ),
    (
        "broken-png",
        SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "image/png"),
        "The evidence must be a PDF or a photo (JPEG, PNG or WebP); this file is neither.",
    ),
    (
        "html-as-image",
        SimpleUploadedFile("foto.jpg", b"<html><script>alert(1)</script>", "image/jpeg"),
        "The evidence must be a PDF or a photo (JPEG, PNG or WebP); this file is neither.",
    ),
    (
        "over-10-mb",
        SimpleUploadedFile("groot.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf"),
        "The evidence may be at most 10 MB; this file is 10.0 MB.",
    ),
]


@pytest.mark.parametrize(
    ("evidence", "message"),
    [case[1:] for case in BAD_EVIDENCE],
    ids=[case[0] for case in BAD_EVIDENCE],
)
def test_evidence_that_is_not_a_pdf_or_image_or_too_large_is_refused(evidence, message):
    user = learner_with_profile()
    with translation.override("en"):
        form = _form(user, evidence)
        assert not form.is_valid()
        assert form.errors["evidence"] == [message]
    with pytest.raises(ValidationError):
        manual_activity_add(
            user=user,
            register=Register.objects.get(slug="venvn"),
            category_id=ActivityCategory.objects.get(slug="overig").pk,
            title="Congres",
            points=Decimal(6),
            earned_on=date(2026, 2, 10),
            evidence=evidence,
        )
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"earned_on": (timezone.localdate() + timedelta(days=7)).isoformat()},
            "earned_on",
            "The date is in the future: add an activity once you have done it.",
        ),
        ({"points": "0"}, "points", "Enter more than 0 points."),
        ({"register": "krt"}, "register", "Choose one of your registers."),
    ],
)
def test_bad_activity_details_are_refused(fields, field, message):
    user = learner_with_profile()
    if fields.get("register") == "krt":
        fields = {"register": Register.objects.get(slug="krt").pk}
    with translation.override("en"):
        form = _form(user, SimpleUploadedFile("c.pdf", PDF, "application/pdf"), **fields)
        assert not form.is_valid()
        assert form.errors[field] == [message]
    assert not LedgerEntry.objects.exists()
