"""One award per learner, course and register: corrections, re-reports and learners' own
entries never count a completion twice, and a reversed award does not stay on a certificate."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accreditation.certificates.services import certificate_issue
from accreditation.ledger.services import ledger_entry_reverse, manual_activity_add
from accreditation.models import (
    ActivityCategory,
    Certificate,
    CourseAccreditation,
    LedgerEntry,
    Register,
    Registration,
)
from playback.models import CourseCompletion
from tests.factories import UserFactory, course_publish, learner_with_profile

pytestmark = pytest.mark.django_db

COMPLETED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def completed():
    """A nurse in V&VN and KRT who completed a course worth 3 points in V&VN and 2 in KRT."""
    learner = learner_with_profile()
    Registration.objects.create(user=learner, register=Register.objects.get(slug="krt"))
    course = course_publish(
        title="Reanimatie",
        accreditations=[("venvn", 3, date(2027, 12, 31)), ("krt", 2, date(2027, 12, 31))],
    )
    CourseCompletion.objects.create(user=learner, course=course, completed_at=COMPLETED_AT)
    call_command("completions_report", verbosity=0)
    return learner, course


def _points(learner, slug: str) -> Decimal:
    entries = LedgerEntry.objects.filter(user=learner, register__slug=slug)
    return sum((entry.points for entry in entries), Decimal(0))


def _certificate(learner, course) -> Certificate:
    return Certificate.objects.get(user=learner, course_id=course.pk, revoked_at__isnull=True)


def test_reporting_a_completion_again_adds_nothing(completed):
    learner, course = completed
    call_command("completions_report", verbosity=0)
    call_command("completions_report", verbosity=0)
    assert (_points(learner, "venvn"), _points(learner, "krt")) == (3, 2)
    assert Certificate.objects.filter(user=learner, course_id=course.pk).count() == 1


def test_a_corrected_activity_id_corrects_the_award_and_reissues_the_certificate(completed):
    learner, course = completed
    first_certificate = _certificate(learner, course)
    CourseAccreditation.objects.filter(course=course, register__slug="venvn").update(
        activity_id="GAIA-555"
    )
    call_command("completions_report", verbosity=0)
    call_command("completions_report", verbosity=0)

    assert _points(learner, "venvn") == 3
    award = LedgerEntry.objects.get(
        user=learner, register__slug="venvn", kind="award", replaced_by__isnull=True
    )
    assert award.activity_id == "GAIA-555" and award.replaces.activity_id == "T-venvn"
    reversal = award.replaces.reversed_by
    assert reversal.points == -3 and "T-venvn → GAIA-555" in reversal.reason
    first_certificate.refresh_from_db()
    assert first_certificate.is_revoked and "GAIA-555" in first_certificate.revoked_reason
    reissued = _certificate(learner, course)
    assert reissued.code != first_certificate.code
    assert {line["activity_id"] for line in reissued.lines} == {"GAIA-555", "T-krt"}
    again = certificate_issue(user_id=learner.pk, course_id=course.pk, completed_at=COMPLETED_AT)
    assert again == reissued


def test_a_next_run_of_the_accreditation_does_not_award_the_completion_again(completed):
    learner, course = completed
    venvn = CourseAccreditation.objects.get(course=course, register__slug="venvn")
    # The next run starts before the old one ends, overlapping the day of completion.
    CourseAccreditation.objects.create(
        course=course,
        register=venvn.register,
        category=venvn.category,
        points=Decimal(4),
        activity_id="RUN-2",
        valid_from=date(2026, 1, 1),
        valid_until=date(2028, 12, 31),
    )
    call_command("completions_report", verbosity=0)
    assert _points(learner, "venvn") == 3
    assert LedgerEntry.objects.filter(user=learner, register__slug="venvn").count() == 1


def test_a_second_award_for_the_course_is_refused_by_the_database(completed):
    from django.db import IntegrityError, transaction

    learner, course = completed
    award = LedgerEntry.objects.get(user=learner, register__slug="venvn")
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            user=learner,
            register=award.register,
            kind="award",
            points=3,
            category=award.category,
            earned_on=award.earned_on,
            title=award.title,
            course_id=course.pk,
            activity_id="OTHER",
        )


def test_a_manual_activity_duplicating_an_award_is_refused_with_a_clear_message(completed):
    learner, _course = completed
    register = Register.objects.get(slug="venvn")
    category = ActivityCategory.objects.get(slug="geaccrediteerd")

    def add(title, earned_on):
        return manual_activity_add(
            user=learner,
            register=register,
            category_id=category.pk,
            title=title,
            points=Decimal(3),
            earned_on=earned_on,
            evidence=SimpleUploadedFile("certificaat.pdf", PDF, "application/pdf"),
        )

    with pytest.raises(ValidationError) as refused:
        add("  reanimatie ", date(2026, 3, 2))
    assert refused.value.code == "duplicates_award"
    assert "Reanimatie" in str(refused.value.messages[0])
    assert _points(learner, "venvn") == 3
    add("Reanimatie", date(2026, 4, 2))  # another day: another activity
    assert _points(learner, "venvn") == 6


def test_a_reversed_award_is_reissued_off_the_certificate_then_revokes_it(completed):
    learner, course = completed
    staff = UserFactory(is_staff=True)
    first = _certificate(learner, course)
    ledger_entry_reverse(
        entry=LedgerEntry.objects.get(user=learner, register__slug="krt"),
        reason="Niet in het KRT-register ingeschreven op de cursusdatum.",
        by=staff,
    )
    first.refresh_from_db()
    assert first.is_revoked and first.revoked_by == staff
    second = _certificate(learner, course)
    assert [line["register"] for line in second.lines] == ["V&VN Kwaliteitsregister"]

    ledger_entry_reverse(
        entry=LedgerEntry.objects.get(user=learner, register__slug="venvn", kind="award"),
        reason="Cursus niet gevolgd.",
        by=staff,
    )
    second.refresh_from_db()
    assert second.is_revoked
    assert not Certificate.objects.filter(user=learner, revoked_at__isnull=True).exists()
    # A later report neither undoes the reversal nor issues the certificate again.
    call_command("completions_report", verbosity=0)
    assert (_points(learner, "venvn"), _points(learner, "krt")) == (0, 0)
    assert not Certificate.objects.filter(user=learner, revoked_at__isnull=True).exists()
