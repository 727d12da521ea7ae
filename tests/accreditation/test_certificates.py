"""Certificates of attendance: issued once per completed course, downloadable by their learner,
verifiable by anyone holding the code, and a changed certificate is detected."""

import re
import subprocess
import zlib
from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accreditation import api
from accreditation.certificates.pdf import certificate_verification_url
from accreditation.certificates.services import REVOKE_LOG_ACTION, certificate_revoke
from accreditation.models import Certificate
from catalog.models import CoursePage, Provider
from tests.accreditation.factories import registration_make
from tests.factories import UserFactory, course_publish, learner_with_profile

pytestmark = pytest.mark.django_db

FAR = date(2030, 12, 31)
COMPLETED_AT = timezone.make_aware(datetime(2026, 3, 2, 21, 15))
BIG_NUMBER = "19012345601"


@pytest.fixture(scope="module")
def _learner_and_course_ids(module_rows):
    """The learner and the course, made once for this module; each test makes its certificate."""

    def create():
        user = learner_with_profile(big_number=BIG_NUMBER)  # in V&VN
        registration_make(
            user=user, register_slug="napa", start=date(2025, 1, 1), end=date(2029, 12, 31)
        )
        course = course_publish(
            title="Wondzorg bij ouderen",
            episodes=["Deel 1"],
            accreditations=[("venvn", 3, FAR), ("napa", 2.5, FAR), ("rgs", 4, FAR)],
            provider=Provider.objects.create(name="Academie Wondzorg"),
        )
        return user.pk, course.pk

    return module_rows(create)


@pytest.fixture
def learner(_learner_and_course_ids):
    return get_user_model().objects.get(pk=_learner_and_course_ids[0])


@pytest.fixture
def course(_learner_and_course_ids):
    return CoursePage.objects.get(pk=_learner_and_course_ids[1])


@pytest.fixture
def certificate(learner, course):
    api.course_completed(user_id=learner.pk, course_id=course.pk, completed_at=COMPLETED_AT)
    return Certificate.objects.get(user=learner)


def _verify_url(certificate) -> str:
    url = urlsplit(certificate_verification_url(certificate=certificate))
    return f"{url.path}?{url.query}"


def _signature(certificate) -> str:
    return parse_qs(urlsplit(certificate_verification_url(certificate=certificate)).query)["s"][0]


def _pdf_text(content: bytes, tmp_path) -> str:
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    )
    return result.stdout


def _pdf_links(content: bytes) -> list[str]:
    """The addresses of the links in a PDF, read from its (compressed) object streams."""
    chunks = [content]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            chunks.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return [
        uri.decode()
        for chunk in chunks
        for uri in re.findall(rb"/URI\s*\(((?:[^()\\]|\\.)*)\)", chunk)
    ]


def _staff(*, permission: bool):
    user = learner_with_profile()
    user.is_staff = True
    user.save()
    if permission:
        user.user_permissions.add(Permission.objects.get(codename="view_certificate"))
    return user


# Issuing


def test_a_completion_issues_one_certificate_however_often_it_is_reported(learner, course):
    for _report in range(3):
        api.course_completed(user_id=learner.pk, course_id=course.pk, completed_at=COMPLETED_AT)
    assert Certificate.objects.filter(user=learner, course_id=course.pk).count() == 1


def test_the_certificate_states_the_learner_course_and_points_per_register(certificate):
    assert certificate.learner_name == "Anna Visser"
    assert certificate.big_number == BIG_NUMBER
    assert certificate.course_title == "Wondzorg bij ouderen"
    assert certificate.provider_name == "Academie Wondzorg"
    assert certificate.completed_on == date(2026, 3, 2)
    # Only the registers the learner is in, not RGS.
    assert [
        (line["register"], line["points"], line["activity_id"]) for line in certificate.lines
    ] == [
        ("V&VN Kwaliteitsregister", "3.0", "T-venvn"),
        ("NAPA", "2.5", "T-napa"),
    ]
    assert {line["category"] for line in certificate.lines} == {"Geaccrediteerde nascholing"}
    assert len(certificate.code) == 10


def test_a_certificate_states_the_full_name_whatever_the_initials(course):
    learner = learner_with_profile()
    learner.first_name, learner.surname_prefix, learner.last_name = "Johanna", "van der", "Berg"
    learner.initials = "J.M."
    learner.save()
    api.course_completed(user_id=learner.pk, course_id=course.pk, completed_at=COMPLETED_AT)
    assert Certificate.objects.get(user=learner).learner_name == "Johanna van der Berg"


def test_a_later_profile_change_does_not_change_an_issued_certificate(certificate, learner):
    learner.first_name = "Annemarie"
    learner.save()
    api.course_completed(
        user_id=learner.pk, course_id=certificate.course_id, completed_at=COMPLETED_AT
    )
    assert Certificate.objects.get(pk=certificate.pk).learner_name == "Anna Visser"


# The PDF and who may download it


def test_the_learner_downloads_a_pdf_with_everything_a_register_asks_for(
    client, certificate, learner, tmp_path
):
    client.force_login(learner)
    response = client.get(f"/mijn-accreditatie/certificaten/{certificate.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert certificate.code_display in response["Content-Disposition"]
    text = _pdf_text(response.content, tmp_path)
    for stated in (
        "Leerstroom",
        "Certificaat van deelname",
        "Anna Visser",
        BIG_NUMBER,
        "Wondzorg bij ouderen",
        "Academie Wondzorg",
        "2 maart 2026",
        "V&VN",
        "NAPA",
        "3,0",
        "2,5",
        "T-venvn",
        "T-napa",
        certificate.code_display,
    ):
        assert stated in text, stated
    # The printed address wraps across lines on paper.
    assert f"http://testserver{_verify_url(certificate)}" in "".join(text.split())
    # The code stands on a line of its own, to read out or type.
    assert certificate.code_display in [line.strip() for line in text.splitlines()]
    # The addresses are links, to click in the PDF.
    links = _pdf_links(response.content)
    assert f"http://testserver{_verify_url(certificate)}" in links
    assert "http://testserver/certificaat/" in links


def test_the_dashboard_lists_the_certificate_with_a_download_link(client, certificate, learner):
    client.force_login(learner)
    response = client.get("/accreditatie/")
    assert f"/mijn-accreditatie/certificaten/{certificate.pk}.pdf" in response.text
    assert "Certificaten" in response.text


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("other learner", 404),
        ("staff without permission", 404),
        ("staff with permission", 200),
    ],
)
def test_only_the_learner_and_permitted_staff_get_the_pdf(client, certificate, viewer, expected):
    users = {
        "other learner": lambda: learner_with_profile(),
        "staff without permission": lambda: _staff(permission=False),
        "staff with permission": lambda: _staff(permission=True),
    }
    client.force_login(users[viewer]())
    response = client.get(f"/mijn-accreditatie/certificaten/{certificate.pk}.pdf")
    assert response.status_code == expected


def test_an_anonymous_visitor_is_sent_to_sign_in(client, certificate):
    response = client.get(f"/mijn-accreditatie/certificaten/{certificate.pk}.pdf")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_certificate_is_not_found(client, learner):
    client.force_login(learner)
    assert client.get("/mijn-accreditatie/certificaten/999999.pdf").status_code == 404


# Public verification


def test_the_verification_page_confirms_a_valid_certificate(client, certificate):
    response = client.get(_verify_url(certificate))
    assert response.status_code == 200
    text = response.text
    for stated in (
        "Geldig",
        "Anna Visser",
        "Wondzorg bij ouderen",
        "Academie Wondzorg",
        "2 maart 2026",
        "V&amp;VN",
        "T-napa",
        "2,5",
    ):
        assert stated in text, stated


def test_the_verification_page_masks_the_big_number(client, certificate):
    text = client.get(_verify_url(certificate)).text
    assert BIG_NUMBER not in text
    assert "••••••••601" in text


def test_the_code_alone_is_accepted_in_any_case_and_without_the_dash(client, certificate):
    response = client.get(f"/certificaat/{certificate.code.lower()}/", follow=True)
    assert response.redirect_chain == [(f"/certificaat/{certificate.code_display}/", 302)]
    assert response.status_code == 200
    assert "Geldig" in response.text


def _retyped(display: str, how: str) -> str:
    """The verification address of a printed code (XXXXX-XXXXX), as someone retyped it or
    copied it from a wrapped line."""
    code = display.replace("-", "")
    return {
        "spaces": f"/certificaat/{display[:3]} {display[3:8]} {display[8:]}/",
        "lower case": f"/certificaat/{display.lower()}/",
        "no dash": f"/certificaat/{code}/",
        "extra dash": f"/certificaat/{code[:3]}-{code[3:7]}-{code[7:]}/",
        "trailing dot": f"/certificaat/{display}.",
        "dot after the slash": f"/certificaat/{display}/.",
        "encoded space": f"/certificaat/{display}%20/",
        "encoded space after the slash": f"/certificaat/{display}/%20",
        "line break in the code": f"/certificaat/{display[:4]}%0A{display[4:]}/",
        "line break at the dash": f"/certificaat/{display[:5]}/{display[6:]}/",
        "typographic dash": f"/certificaat/{display[:5]}%E2%80%93{display[6:]}/",
    }[how]


@pytest.mark.parametrize(
    "how",
    [
        "spaces",
        "lower case",
        "no dash",
        "extra dash",
        "trailing dot",
        "dot after the slash",
        "encoded space",
        "encoded space after the slash",
        "line break in the code",
        "line break at the dash",
        "typographic dash",
    ],
)
def test_a_retyped_or_wrapped_address_lands_on_the_same_certificate(client, certificate, how):
    response = client.get(_retyped(certificate.code_display, how), follow=True)
    assert response.redirect_chain[-1] == (f"/certificaat/{certificate.code_display}/", 302)
    assert response.status_code == 200
    assert "Geldig" in response.text
    assert "Anna Visser" in response.text


@pytest.mark.parametrize(
    ("damage", "with_signature"),
    [
        (lambda s: f"{s}.", "a full stop after it"),
        (lambda s: f"{s}%20", "an encoded space after it"),
        (lambda s: f"{s[:10]}%0A{s[10:]}", "a line break in it"),
        (lambda s: f"{s[:10]}%20{s[10:]}", "a space in it"),
    ],
)
def test_a_signature_copied_with_a_break_or_full_stop_still_verifies(
    client, certificate, damage, with_signature
):
    signature = _signature(certificate)
    path = f"/certificaat/{certificate.code.lower()}/?s={damage(signature)}"
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1][0] == _verify_url(certificate), with_signature
    assert "Geldig" in response.text, with_signature


def test_a_printed_address_is_shown_without_a_redirect(client, certificate):
    response = client.get(_verify_url(certificate))
    assert response.status_code == 200
    assert client.get(f"/certificaat/{certificate.code_display}/").status_code == 200


def test_a_retyped_unknown_code_gets_the_unknown_message(client, db):
    response = client.get("/certificaat/acdef ghjkm.", follow=True)
    assert response.redirect_chain[-1] == ("/certificaat/ACDEF-GHJKM/", 302)
    assert response.status_code == 404
    assert "Onbekende of gewijzigde code" in response.text


# Typing the code


def test_the_code_form_sends_a_typed_code_to_its_verification_page(client, certificate):
    page = client.get("/certificaat/")
    assert page.status_code == 200
    assert "Verificatiecode" in page.text
    assert 'name="code"' in page.text
    typed = f" {certificate.code_display.lower().replace('-', ' ')} "
    response = client.get("/certificaat/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/certificaat/{certificate.code_display}/"
    assert "Anna Visser" in client.get(response["Location"]).text


def test_the_code_form_sends_an_unknown_code_to_the_unknown_message(client, db):
    response = client.get("/certificaat/", {"code": "ACDEF-GHJKM"}, follow=True)
    assert response.status_code == 404
    assert "Onbekende of gewijzigde code" in response.text
    assert "/certificaat/" in response.text  # a way back to the form


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Vul de code in die op het certificaat staat."),
        ("ACDEF-GHJK", "Een code heeft 10 letters en cijfers; je vulde er 9 in."),
        ("ACDEF-GHJKMN", "Een code heeft 10 letters en cijfers; je vulde er 11 in."),
        ("ACDE0-GHJKM", "Certificaatcodes bevatten nooit 0"),
        ("ACDEF-GHJKS", "Certificaatcodes bevatten nooit S"),
    ],
)
def test_the_code_form_says_what_is_wrong_with_a_typed_code(client, db, typed, message):
    response = client.get("/certificaat/", {"code": typed})
    assert response.status_code == 400
    assert message in response.text


def test_the_code_form_is_limited_per_visitor(client, db):
    statuses = [
        client.get("/certificaat/", {"code": "ACDEF-GHJKM"}).status_code for _lookup in range(31)
    ]
    assert statuses[:30] == [302] * 30
    assert statuses[30] == 429
    assert "Te veel controles" in client.get("/certificaat/", {"code": "ACDEF-GHJKM"}).text
    # Opening the empty form is not a lookup.
    assert client.get("/certificaat/").status_code == 200


def test_a_revoked_certificate_is_reported_with_its_date(client, certificate):
    certificate_revoke(
        certificate=certificate, reason="Toets niet zelf gemaakt", by=_staff(permission=True)
    )
    response = client.get(_verify_url(certificate))
    assert "Ingetrokken" in response.text
    assert "Geldig" not in response.text
    assert timezone.localdate().strftime("%Y") in response.text
    assert "Toets niet zelf gemaakt" not in response.text


def test_an_unknown_code_is_reported_as_unknown(client, db):
    response = client.get("/certificaat/ACDEF-GHJKM/")
    assert response.status_code == 404
    assert "Onbekende of gewijzigde code" in response.text


def test_a_tampered_signature_is_detected(client, certificate):
    signature = _signature(certificate)
    tampered = ("A" if signature[0] != "A" else "B") + signature[1:]
    response = client.get(f"/certificaat/{certificate.code_display}/?s={tampered}")
    assert response.status_code == 404
    assert "Onbekende of gewijzigde code" in response.text
    assert "Anna Visser" not in response.text


def test_a_tampered_code_is_detected(client, certificate):
    other = Certificate.objects.create(
        user=UserFactory(),
        course_id=certificate.course_id,
        course_title=certificate.course_title,
        completed_on=certificate.completed_on,
        learner_name="Bram de Vries",
        code="ACDEFGHJKM" if certificate.code != "ACDEFGHJKM" else "ACDEFGHJKN",
    )
    # The other certificate's code with this one's signature.
    response = client.get(f"/certificaat/{other.code}/?s={_signature(certificate)}", follow=True)
    assert "Onbekende of gewijzigde code" in response.text
    assert "Bram de Vries" not in response.text


def test_a_changed_stored_statement_no_longer_matches_its_signature(client, certificate):
    url = _verify_url(certificate)
    lines = [dict(line, points="30.0") for line in certificate.lines]
    Certificate.objects.filter(pk=certificate.pk).update(lines=lines)
    assert "Onbekende of gewijzigde code" in client.get(url).text


@pytest.mark.parametrize(
    "path",
    [
        "/certificaat/%20/",
        "/certificaat/%2e%2e%2f/",
        "/certificaat/" + "X" * 5000 + "/",
        "/certificaat/ÄÖÜ-ßéè/",
        "/certificaat/ACDEF-GHJKM/?s=",
        "/certificaat/ACDEF-GHJKM/?s=%00%ff",
    ],
)
def test_bad_input_on_the_verification_page_is_not_an_error(client, db, path):
    assert client.get(path).status_code == 404


def test_verification_lookups_are_limited_per_visitor(client, certificate):
    url = _verify_url(certificate)
    statuses = [client.get(url).status_code for _lookup in range(31)]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429
    response = client.get(url)
    assert response.status_code == 429
    assert "Te veel controles" in response.text
    assert response["Retry-After"] == "60"
    other_visitor = client.get(url, REMOTE_ADDR="192.0.2.7")
    assert other_visitor.status_code == 200


def test_behind_a_proxy_each_visitor_is_limited_on_their_own(client, certificate, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    url = _verify_url(certificate)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    first = [
        client.get(url, headers={"X-Forwarded-For": "198.51.100.4"}, **proxy).status_code
        for _lookup in range(31)
    ]
    assert first[30] == 429
    second = client.get(url, headers={"X-Forwarded-For": "198.51.100.9"}, **proxy)
    assert second.status_code == 200
    # A forwarded address the client typed itself comes before the proxy's: it changes nothing.
    spoofed = client.get(url, headers={"X-Forwarded-For": "1.2.3.4, 198.51.100.4"}, **proxy)
    assert spoofed.status_code == 429


# Staff


def test_revoking_records_who_why_and_leaves_a_log_entry(certificate):
    staff = _staff(permission=True)
    certificate_revoke(certificate=certificate, reason="Dubbel uitgegeven", by=staff)
    stored = Certificate.objects.get(pk=certificate.pk)
    assert (stored.revoked_by, stored.revoked_reason) == (staff, "Dubbel uitgegeven")
    entry = ModelLogEntry.objects.get(action=REVOKE_LOG_ACTION, object_id=str(certificate.pk))
    assert (entry.user, entry.data["reason"]) == (staff, "Dubbel uitgegeven")
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=stored, reason="Nog eens", by=staff)


def test_a_reason_is_required_to_revoke(certificate):
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, reason="  ", by=_staff(permission=True))
    assert not Certificate.objects.get(pk=certificate.pk).is_revoked


@pytest.fixture
def admin_client(client):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser(
        email="beheer@leerstroom.example", password="een-sterk-wachtwoord-2026"
    )
    client.force_login(admin)
    return client


def test_staff_list_inspect_and_revoke_certificates_in_the_admin(admin_client, certificate):
    assert "/admin/certificate/" in admin_client.get("/admin/").text  # in the Accreditation menu
    listing = admin_client.get("/admin/certificate/")
    assert listing.status_code == 200
    assert certificate.code in listing.text
    assert f"/admin/certificate/revoke/{certificate.pk}/" in listing.text
    inspect = admin_client.get(f"/admin/certificate/inspect/{certificate.pk}/")
    assert inspect.status_code == 200
    assert "Wondzorg bij ouderen" in inspect.text
    form = admin_client.get(f"/admin/certificate/revoke/{certificate.pk}/")
    assert form.status_code == 200
    response = admin_client.post(
        f"/admin/certificate/revoke/{certificate.pk}/", {"reason": "Fraude met de eindtoets"}
    )
    assert response.status_code == 302
    stored = Certificate.objects.get(pk=certificate.pk)
    assert stored.revoked_reason == "Fraude met de eindtoets"
    assert ModelLogEntry.objects.filter(
        action=REVOKE_LOG_ACTION, object_id=str(certificate.pk)
    ).exists()


def test_staff_download_the_pdf_from_the_admin(admin_client, certificate, tmp_path):
    response = admin_client.get(f"/admin/certificate/pdf/{certificate.pk}/")
    assert response.status_code == 200
    assert "Anna Visser" in _pdf_text(response.content, tmp_path)


def test_the_admin_does_not_add_edit_or_delete_certificates(admin_client, certificate):
    for url in (
        "/admin/certificate/new/",
        f"/admin/certificate/edit/{certificate.pk}/",
        f"/admin/certificate/delete/{certificate.pk}/",
    ):
        response = admin_client.get(url)
        assert response.status_code in (302, 403), url
    admin_client.post(f"/admin/certificate/delete/{certificate.pk}/")
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_revoking_needs_the_revoke_permission(client, certificate):
    from django.contrib.auth.models import Permission as AuthPermission

    staff = _staff(permission=True)
    staff.user_permissions.add(AuthPermission.objects.get(codename="access_admin"))
    client.force_login(staff)
    response = client.post(f"/admin/certificate/revoke/{certificate.pk}/", {"reason": "Zomaar"})
    assert response.status_code in (302, 403)
    assert not Certificate.objects.get(pk=certificate.pk).is_revoked
