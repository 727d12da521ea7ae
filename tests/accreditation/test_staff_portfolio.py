"""Staff work on one learner in the Wagtail admin: find them, read their portfolio, reverse an
entry with a reason; and certificates for courses completed before certificates existed."""

from datetime import date, datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accreditation import api
from accreditation.certificates.services import certificate_revoke
from accreditation.ledger.services import (
    REVERSAL_LOG_ACTION,
    course_completion_award,
    ledger_entry_reverse,
)
from accreditation.models import Certificate, LedgerEntry
from tests.factories import UserFactory, course_publish, learner_with_profile

pytestmark = pytest.mark.django_db

FAR = date(2030, 12, 31)
COMPLETED_AT = timezone.make_aware(datetime(2026, 3, 2, 21, 15))


def _staff(*codenames: str):
    user = UserFactory(first_name="Sem", last_name="Beheer", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="accreditation", codename__in=codenames),
    )
    return user


@pytest.fixture
def viewer(client):
    client.force_login(_staff("view_ledgerentry"))
    return client


@pytest.fixture
def corrector(client):
    staff = _staff("view_ledgerentry", "change_ledgerentry", "view_certificate")
    client.force_login(staff)
    client.staff = staff
    return client


@pytest.fixture
def learner():
    user = learner_with_profile(big_number="19012345601")  # Anna Visser, in V&VN
    user.surname_prefix = "de"
    user.save()
    return user


@pytest.fixture
def courses(learner):
    wound_care = course_publish(title="Wondzorg", accreditations=[("venvn", 3, FAR)])
    triage = course_publish(title="Triage", accreditations=[("venvn", 2, FAR)])
    for course in (wound_care, triage):
        api.course_completed(user_id=learner.pk, course_id=course.pk, completed_at=COMPLETED_AT)
    return wound_care, triage


def _award(learner, course) -> LedgerEntry:
    return LedgerEntry.objects.get(user=learner, course_id=course.pk, kind=LedgerEntry.Kind.AWARD)


# Finding a learner


@pytest.mark.parametrize("query", ["anna de visser", "VISSER", "19012345601", "learner"])
def test_staff_find_a_learner_by_name_e_mail_or_big_number(viewer, learner, query):
    other = learner_with_profile()
    other.first_name, other.last_name = "Bram", "Jansen"
    other.save()
    response = viewer.get("/admin/portfolio/", {"q": query})
    assert response.status_code == 200
    assert f"/admin/portfolio/{learner.pk}/" in response.text
    if query != "learner":  # every factory e-mail address has "learner" in it
        assert f"/admin/portfolio/{other.pk}/" not in response.text


def test_the_search_results_refresh_on_their_own(viewer, learner):
    response = viewer.get("/admin/portfolio/results/", {"q": "visser"})
    assert response.status_code == 200
    assert "Anna de Visser" in response.text


def test_the_learners_are_in_the_accreditation_menu_of_those_allowed(client, viewer):
    assert "/admin/portfolio/" in viewer.get("/admin/").text
    client.force_login(_staff())
    assert "/admin/portfolio/" not in client.get("/admin/").text


# The portfolio


def test_the_portfolio_shows_registers_entries_and_certificates(corrector, learner, courses):
    response = corrector.get(f"/admin/portfolio/{learner.pk}/")
    assert response.status_code == 200
    text = response.text
    for shown in (
        "Anna de Visser",
        learner.email,
        "A.",  # initials from the first name
        "19012345601",
        "V&amp;VN",  # the register, with its standing
        "Wondzorg",
        "Triage",
        Certificate.objects.get(user=learner, course_id=courses[0].pk).code_display,
        "Geldig",
    ):
        assert shown in text, shown
    assert f"/admin/portfolio/reverse/{_award(learner, courses[0]).pk}/" in text


def test_the_portfolio_shows_a_reversal_with_its_reason_and_who_made_it(
    corrector, learner, courses
):
    entry = _award(learner, courses[1])
    ledger_entry_reverse(entry=entry, reason="Niet zelf gevolgd", by=corrector.staff)
    text = corrector.get(f"/admin/portfolio/{learner.pk}/").text
    assert "Niet zelf gevolgd" in text
    assert "Sem Beheer" in text
    assert "Teruggedraaid" in text
    # A reversed entry and a correction offer no second reversal.
    assert f"/admin/portfolio/reverse/{entry.pk}/" not in text
    assert f"/admin/portfolio/reverse/{entry.reversed_by.pk}/" not in text


def test_without_the_change_permission_the_portfolio_offers_no_reversal(viewer, learner, courses):
    response = viewer.get(f"/admin/portfolio/{learner.pk}/")
    assert response.status_code == 200
    assert "/admin/portfolio/reverse/" not in response.text


def test_an_unknown_learner_is_not_found(viewer, db):
    assert viewer.get("/admin/portfolio/999999/").status_code == 404


# Reversing an entry


def test_the_confirmation_lists_the_certificates_the_reversal_affects(corrector, learner, courses):
    wound_care, triage = courses
    stating = Certificate.objects.get(user=learner, course_id=wound_care.pk)
    other_course = Certificate.objects.get(user=learner, course_id=triage.pk)
    response = corrector.get(f"/admin/portfolio/reverse/{_award(learner, wound_care).pk}/")
    assert response.status_code == 200
    assert "Wondzorg" in response.text
    assert stating.code_display in response.text
    assert other_course.code_display not in response.text
    assert 'name="csrfmiddlewaretoken"' in response.text
    # Nothing happens until the form is sent.
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REVERSAL).exists()


def test_a_revoked_certificate_is_not_listed_as_affected(corrector, learner, courses):
    wound_care, _triage = courses
    certificate = Certificate.objects.get(user=learner, course_id=wound_care.pk)
    certificate_revoke(certificate=certificate, reason="Dubbel", by=corrector.staff)
    response = corrector.get(f"/admin/portfolio/reverse/{_award(learner, wound_care).pk}/")
    assert certificate.code_display not in response.text
    assert "Geen certificaat vermeldt deze regel." in response.text


def test_a_manual_activity_affects_no_certificate(corrector, learner):
    entry = LedgerEntry.objects.create(
        user=learner,
        register_id=learner.registrations.get(register__slug="venvn").register_id,
        kind=LedgerEntry.Kind.MANUAL,
        points=2,
        category_id=_award_category_id(),
        earned_on=date(2026, 1, 5),
        title="Congres",
        evidence="accreditation/evidence/bewijs.pdf",
    )
    response = corrector.get(f"/admin/portfolio/reverse/{entry.pk}/")
    assert response.status_code == 200
    assert "Geen certificaat vermeldt deze regel." in response.text


def _award_category_id() -> int:
    from accreditation.models import ActivityCategory

    return ActivityCategory.objects.get(slug="geaccrediteerd").pk


def test_staff_reverse_an_entry_with_a_reason_that_is_logged(corrector, learner, courses):
    entry = _award(learner, courses[0])
    response = corrector.post(
        f"/admin/portfolio/reverse/{entry.pk}/", {"reason": "Eindtoets niet zelf gemaakt"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/admin/portfolio/{learner.pk}/"
    reversal = LedgerEntry.objects.get(reverses=entry)
    assert (reversal.points, reversal.reason, reversal.created_by) == (
        -entry.points,
        "Eindtoets niet zelf gemaakt",
        corrector.staff,
    )
    log = ModelLogEntry.objects.get(action=REVERSAL_LOG_ACTION, object_id=str(reversal.pk))
    assert (log.user, log.data["reason"]) == (corrector.staff, "Eindtoets niet zelf gemaakt")
    page = corrector.get(response["Location"])
    assert "De regel is teruggedraaid." in page.text
    assert "Eindtoets niet zelf gemaakt" in page.text


def test_the_certificate_listed_as_affected_is_revoked_by_the_reversal(corrector, learner, courses):
    wound_care, _triage = courses
    certificate = Certificate.objects.get(user=learner, course_id=wound_care.pk)
    corrector.post(
        f"/admin/portfolio/reverse/{_award(learner, wound_care).pk}/",
        {"reason": "Niet bijgewoond"},
    )
    certificate.refresh_from_db()
    assert (certificate.is_revoked, certificate.revoked_reason) == (True, "Niet bijgewoond")
    page = corrector.get(f"/admin/portfolio/{learner.pk}/").text
    assert "Ingetrokken" in page


def test_a_reason_is_required_and_asked_for_in_dutch(corrector, learner, courses):
    entry = _award(learner, courses[0])
    response = corrector.post(f"/admin/portfolio/reverse/{entry.pk}/", {"reason": "   "})
    assert response.status_code == 200
    assert "Geef aan waarom de regel wordt teruggedraaid." in response.text
    assert not LedgerEntry.objects.filter(reverses=entry).exists()


def test_a_second_reversal_is_refused_in_dutch(corrector, learner, courses):
    entry = _award(learner, courses[0])
    ledger_entry_reverse(entry=entry, reason="Eerste keer", by=corrector.staff)
    response = corrector.post(f"/admin/portfolio/reverse/{entry.pk}/", {"reason": "Nog eens"})
    assert response.status_code == 200
    assert "Deze regel is al teruggedraaid." in response.text
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REVERSAL).count() == 1


def test_a_correction_cannot_be_reversed(corrector, learner, courses):
    reversal = ledger_entry_reverse(
        entry=_award(learner, courses[0]), reason="Eerste keer", by=corrector.staff
    )
    response = corrector.post(f"/admin/portfolio/reverse/{reversal.pk}/", {"reason": "Terug"})
    assert "Een correctie kan zelf niet worden teruggedraaid." in response.text


def test_reversing_needs_the_change_permission(viewer, learner, courses):
    entry = _award(learner, courses[0])
    response = viewer.post(f"/admin/portfolio/reverse/{entry.pk}/", {"reason": "Zomaar"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not LedgerEntry.objects.filter(reverses=entry).exists()


@pytest.mark.parametrize("path", ["/admin/portfolio/", "/admin/portfolio/{learner}/"])
def test_staff_without_the_view_permission_are_sent_back(client, learner, path):
    client.force_login(_staff("change_ledgerentry"))
    response = client.get(path.format(learner=learner.pk))
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_a_learner_is_sent_to_sign_in(client, learner):
    client.force_login(learner)
    response = client.get(f"/admin/portfolio/{learner.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# Certificates for earlier completions


def _learner_named(first_name: str, last_name: str):
    user = learner_with_profile()
    user.first_name, user.last_name = first_name, last_name
    user.save()
    return user


def test_certificates_are_issued_for_earlier_completions_once(capsys):
    course = course_publish(title="Reanimatie", accreditations=[("venvn", 4, FAR)])
    named, nameless = _learner_named("Floor", "Verbeek"), _learner_named("", "")
    reversed_award, certified = _learner_named("Daan", "Kuipers"), _learner_named("Eva", "Smit")
    for user in (named, nameless, reversed_award):
        # Completions from before certificates: awards only.
        course_completion_award(user_id=user.pk, course_id=course.pk, completed_at=COMPLETED_AT)
    ledger_entry_reverse(
        entry=_award(reversed_award, course), reason="Niet bijgewoond", by=_staff()
    )
    api.course_completed(user_id=certified.pk, course_id=course.pk, completed_at=COMPLETED_AT)
    certified_before = Certificate.objects.get(user=certified)

    call_command("certificates_issue_missing")
    output = capsys.readouterr().out
    assert "Certificates issued: 1." in output
    assert "Waiting for the learner's name: 1" in output
    certificate = Certificate.objects.get(user=named)
    assert (certificate.course_id, certificate.completed_on) == (course.pk, date(2026, 3, 2))
    assert certificate.learner_name == "Floor Verbeek"
    assert [line["points"] for line in certificate.lines] == ["4.0"]
    assert not Certificate.objects.filter(user__in=[nameless, reversed_award]).exists()
    assert list(Certificate.objects.filter(user=certified)) == [certified_before]

    call_command("certificates_issue_missing")
    output = capsys.readouterr().out
    assert "Certificates issued: 0." in output
    assert "Waiting for the learner's name: 1" in output
    assert Certificate.objects.filter(course_id=course.pk).count() == 2


def test_a_certificate_staff_revoked_is_not_issued_again(capsys):
    course = course_publish(title="Reanimatie", accreditations=[("venvn", 4, FAR)])
    learner = _learner_named("Floor", "Verbeek")
    api.course_completed(user_id=learner.pk, course_id=course.pk, completed_at=COMPLETED_AT)
    certificate_revoke(
        certificate=Certificate.objects.get(user=learner), reason="Fraude", by=_staff()
    )
    call_command("certificates_issue_missing")
    assert "Certificates issued: 0." in capsys.readouterr().out
    assert Certificate.objects.filter(user=learner, revoked_at__isnull=True).count() == 0


# Setting a learner's register period


def test_staff_set_a_learners_period_with_the_learners_checks(client, learner):
    from accreditation.models import Registration

    staff = _staff("view_ledgerentry", "change_registration")
    client.force_login(staff)
    registration = Registration.objects.get(user=learner, register__slug="venvn")
    portfolio = client.get(f"/admin/portfolio/{learner.pk}/")
    url = f"/admin/portfolio/registration/{registration.pk}/"
    assert url in portfolio.text

    refused = client.post(url, {"period_start": "2026-01-01", "period_end": "2025-01-01"})
    assert refused.status_code == 400
    registration.refresh_from_db()
    assert registration.period_start is None

    saved = client.post(url, {"period_start": "2026-01-01", "period_end": "2030-12-31"})
    assert saved.status_code == 302 and saved.url == f"/admin/portfolio/{learner.pk}/"
    registration.refresh_from_db()
    assert (registration.period_start, registration.period_end) == (
        date(2026, 1, 1),
        date(2030, 12, 31),
    )


def test_without_the_change_permission_staff_cannot_set_a_period(viewer, learner):
    from accreditation.models import Registration

    registration = Registration.objects.get(user=learner, register__slug="venvn")
    url = f"/admin/portfolio/registration/{registration.pk}/"
    assert url not in viewer.get(f"/admin/portfolio/{learner.pk}/").text
    assert viewer.post(url, {"period_start": "2026-01-01"}).status_code in (302, 403)
    registration.refresh_from_db()
    assert registration.period_start is None
