"""Register names and rule labels in English for learners who switch the site to English; the
Dutch names stay in what goes to the registers (exports, certificates) and on the Dutch site."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from accreditation import api
from accreditation.deadlines.reminders import deadline_reminder_send
from accreditation.exports.attendance import course_attendance_rows
from accreditation.models import CategoryRule, Certificate, Register
from accreditation.rules.reference_data import REGISTER_NAMES_EN, register_names_en_fill
from accreditation.rules.reference_rules import RULE_LABELS_EN
from tests.accreditation.factories import awards_make, registration_make
from tests.factories import course_publish, learner_with_profile

pytestmark = pytest.mark.django_db


def _in_english(client):
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302


def test_every_seeded_register_and_rule_has_its_english_name():
    registers = {register.slug: register for register in Register.objects.all()}
    assert set(REGISTER_NAMES_EN) <= set(registers)
    for slug, (short_name_en, name_en) in REGISTER_NAMES_EN.items():
        assert (registers[slug].short_name_en, registers[slug].name_en) == (short_name_en, name_en)
    assert registers["venvn"].short_name_en == "V&VN Quality Register"
    assert registers["krt"].short_name_en == "KRT"  # a proper name stays as it is
    rules = CategoryRule.objects.all()
    assert rules and all(rule.label_en == RULE_LABELS_EN[rule.label] for rule in rules)


def test_filling_the_english_names_keeps_what_staff_wrote():
    Register.objects.filter(slug="venvn").update(short_name_en="V&VN register", name_en="")
    register_names_en_fill(Register)
    venvn = Register.objects.get(slug="venvn")
    assert venvn.short_name_en == "V&VN register"
    assert venvn.name_en == REGISTER_NAMES_EN["venvn"][1]


def test_a_register_without_an_english_name_shows_its_dutch_one():
    Register.objects.filter(slug="knov").update(short_name_en="", name_en="")
    knov = Register.objects.get(slug="knov")
    with translation.override("en"):
        assert (knov.display_short_name, knov.display_name) == ("KNOV", knov.name)


def _venvn_learner():
    learner = learner_with_profile()
    start = timezone.localdate().replace(day=1) - timedelta(days=365)
    registration_make(user=learner, register_slug="venvn", start=start, end=None)
    awards_make(
        user=learner,
        register_slug="venvn",
        earned_on=start + timedelta(days=40),
        points={"geaccrediteerd": 20},
    )
    return learner


def test_the_dashboard_in_english_names_the_register_and_its_rules_in_english(client):
    client.force_login(_venvn_learner())
    _in_english(client)
    page = client.get("/accreditatie/").text
    assert "<h2>V&amp;VN Quality Register</h2>" in page
    assert "V&amp;VN Quality Register for Nurses &amp; Carers" in page
    assert "<span>accredited</span>" in page
    assert "Of which 60.0 accredited." in page
    assert "Kwaliteitsregister" not in page and "geaccrediteerd" not in page


def test_the_dashboard_in_dutch_is_unchanged(client):
    client.force_login(_venvn_learner())
    page = client.get("/accreditatie/").text
    assert "<h2>V&amp;VN Kwaliteitsregister</h2>" in page
    assert "V&amp;VN Kwaliteitsregister Verpleegkundigen &amp; Verzorgenden" in page
    assert "<span>geaccrediteerd</span>" in page
    assert "Quality Register" not in page


def _checkbox_labels(page: str) -> str:
    return " ".join(re.findall(r"<label[^>]*>.*?</label>", page, re.S))


def test_the_profile_and_the_period_page_in_english(client):
    learner = _venvn_learner()
    client.force_login(learner)
    _in_english(client)
    assert "V&amp;VN Quality Register</a>" in client.get("/profiel/").text
    assert "V&amp;VN Quality Register</label>" in _checkbox_labels(client.get("/profiel/").text)
    registration = learner.registrations.get(register__slug="venvn")
    page = client.get(f"/accreditatie/registraties/{registration.pk}/").text
    assert "<h1>Your period in V&amp;VN Quality Register</h1>" in page


def test_the_search_facets_name_the_registers_in_english(client):
    accreditations = [("venvn", 3, date(2099, 1, 1)), ("rgs-huisarts", 2, date(2099, 1, 1))]
    course_publish(title="Wondzorg", accreditations=accreditations)
    _in_english(client)
    page = client.get("/zoeken/").text
    assert "V&amp;VN Quality Register" in page and "RGS general practitioners" in page
    assert "V&amp;VN Kwaliteitsregister" not in page
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    page = client.get("/zoeken/").text
    assert "V&amp;VN Kwaliteitsregister" in page and "Quality Register" not in page


def test_exports_and_certificates_keep_the_registers_dutch_names(
    django_capture_on_commit_callbacks,
):
    course = course_publish(title="Reanimatie", accreditations=[("venvn", 3, date(2099, 1, 1))])
    learner = learner_with_profile(big_number="19012345601")
    learner.first_name, learner.last_name = "Anna", "Visser"
    learner.save()
    at = timezone.make_aware(datetime(2026, 3, 2, 10, 0))
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        api.course_completed(user_id=learner.pk, course_id=course.pk, completed_at=at)
        venvn = Register.objects.get(slug="venvn")
        rows = list(course_attendance_rows(course_id=course.pk, register_id=venvn.pk))
        lines = api.course_accreditation_lines(course_id=course.pk, on=date(2026, 3, 2))
        registers = {register.slug: register for register in api.register_list()}
    assert [row.register for row in rows] == ["V&VN Kwaliteitsregister"]
    assert [line.register for line in lines] == ["V&VN Kwaliteitsregister"]
    assert registers["venvn"].short_name == "V&VN Kwaliteitsregister"
    certificate = Certificate.objects.get(user=learner, course_id=course.pk)
    assert [(line["register"], line["register_name"]) for line in certificate.lines] == [
        ("V&VN Kwaliteitsregister", "V&VN Kwaliteitsregister Verpleegkundigen & Verzorgenden")
    ]


def test_the_deadline_reminder_stays_dutch_like_the_register_it_is_about():
    learner = learner_with_profile()
    on = date(2026, 3, 2)
    registration = registration_make(
        user=learner, register_slug="venvn", start=date(2022, 1, 1), end=on + timedelta(weeks=5)
    )
    with translation.override("en"):
        assert deadline_reminder_send(registration=registration, which="6w", on=on)
    assert "V&VN Kwaliteitsregister" in mail.outbox[0].subject
    assert "Quality Register" not in mail.outbox[0].body


def test_staff_edit_the_english_names_in_the_admin(client):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.create_superuser(
        email="beheer@leerstroom.example", password="een-sterk-wachtwoord-2026"
    )
    client.force_login(staff)
    venvn = Register.objects.get(slug="venvn")
    edit = client.get(f"/admin/snippets/accreditation/register/edit/{venvn.pk}/").text
    assert 'name="short_name_en"' in edit and 'value="V&amp;VN Quality Register"' in edit
    requirement = venvn.requirements.filter(valid_until__isnull=True).get()
    edit = client.get(f"/admin/snippets/accreditation/requirement/edit/{requirement.pk}/").text
    assert 'name="category_rules-0-label_en"' in edit and 'value="accredited"' in edit


def test_the_activity_form_in_english_offers_the_registers_and_categories_in_english(client):
    client.force_login(_venvn_learner())
    _in_english(client)
    labels = " ".join(
        re.findall(
            r"<option[^>]*>(.*?)</option>", client.get("/accreditatie/activiteit-toevoegen/").text
        )
    )
    assert "V&amp;VN Quality Register" in labels and "Accredited training" in labels
    assert "Kwaliteitsregister" not in labels and "Geaccrediteerde nascholing" not in labels
