import pytest
from django.db import IntegrityError, transaction

from accreditation.models import ProfessionalProfile, Register, Registration
from catalog.models import Profession
from tests.factories import UserFactory, learner_with_profile

pytestmark = pytest.mark.django_db

NAMES = {"first_name": "Sanne", "surname_prefix": "de", "last_name": "Vries"}


def _profession(slug: str) -> int:
    return Profession.objects.get(slug=slug).id


def test_a_learner_without_profile_is_sent_to_onboarding_and_back(client):
    client.force_login(UserFactory())
    response = client.get("/zoeken/?q=wond")
    assert response.status_code == 302
    assert response["Location"] == "/profiel/welkom/?next=%2Fzoeken%2F%3Fq%3Dwond"


def test_onboarding_stores_profession_big_number_and_registers(client):
    user = UserFactory()
    client.force_login(user)
    venvn = Register.objects.get(slug="venvn")
    response = client.post(
        "/profiel/welkom/?next=/zoeken/",
        {
            **NAMES,
            "profession": _profession("verpleegkundige"),
            "big_number": "190 123 456 01",
            "registers": [venvn.id],
        },
    )
    assert response.status_code == 302
    # A register just added asks for its period first, then the learner goes on.
    venvn_registration = Registration.objects.get(user=user, register=venvn)
    assert response["Location"] == (
        f"/accreditatie/registraties/{venvn_registration.pk}/?next=%2Fzoeken%2F"
    )
    profile = ProfessionalProfile.objects.get(user=user)
    assert profile.big_number == "19012345601"
    registrations = {
        r.register.slug: r.member_number for r in Registration.objects.filter(user=user)
    }
    assert registrations == {"big": "19012345601", "venvn": ""}
    assert client.get("/").status_code == 200


def test_onboarding_ignores_an_external_next_url(client):
    client.force_login(UserFactory())
    response = client.post(
        "/profiel/welkom/?next=https://phishing.example/",
        {**NAMES, "profession": _profession("doktersassistent")},
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    ("big_number", "message"),
    [
        ("1234567890", "Een BIG-nummer bestaat uit precies 11 cijfers; je vulde 10 tekens in."),
        ("123456789012", "Een BIG-nummer bestaat uit precies 11 cijfers; je vulde 12 tekens in."),
        ("1234567890A", "Een BIG-nummer bestaat uit precies 11 cijfers; je vulde 11 tekens in."),
        ("١٢٣٤٥٦٧٨٩٠١", "Een BIG-nummer bestaat uit precies 11 cijfers; je vulde 11 tekens in."),
        ("", "Verpleegkundige is een BIG-beroep: vul je BIG-nummer in."),
    ],
)
def test_invalid_big_numbers_are_refused_in_dutch_and_nothing_is_saved(client, big_number, message):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/profiel/welkom/",
        {
            **NAMES,
            "profession": _profession("verpleegkundige"),
            "big_number": big_number,
            "registers": [Register.objects.get(slug="venvn").id],
        },
    )
    assert response.status_code == 400
    assert message in response.text
    assert not ProfessionalProfile.objects.filter(user=user).exists()
    assert not Registration.objects.filter(user=user).exists()


def test_big_number_is_optional_outside_big(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/profiel/welkom/",
        {
            **NAMES,
            "profession": _profession("doktersassistent"),
            "registers": [Register.objects.get(slug="nvda-kabiz").id],
        },
    )
    assert response.status_code == 302
    assert ProfessionalProfile.objects.get(user=user).big_number == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("profession", "", "Kies je beroep."),
        ("profession", "999999", "Kies een beroep uit de lijst."),
        ("profession", "abc", "Kies een beroep uit de lijst."),
        ("registers", "999999", "Kies registers uit de lijst."),
    ],
)
def test_bad_choices_get_a_specific_message(client, field, value, message):
    client.force_login(UserFactory())
    data = {**NAMES, "profession": _profession("doktersassistent"), field: value}
    response = client.post("/profiel/welkom/", data)
    assert response.status_code == 400
    assert message in response.text


def test_the_database_refuses_a_malformed_big_number():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProfessionalProfile.objects.create(
            user=user, profession_id=_profession("arts"), big_number="12345"
        )


def test_the_profile_page_changes_registers_and_keeps_the_big_registration(client):
    user = learner_with_profile(big_number="19012345601")
    client.force_login(user)
    krt = Register.objects.get(slug="krt")
    response = client.post(
        "/profiel/",
        {
            **NAMES,
            "profession": _profession("tandarts"),
            "big_number": "19012345601",
            "registers": [krt.id],
        },
    )
    assert response.status_code == 302
    slugs = set(Registration.objects.filter(user=user).values_list("register__slug", flat=True))
    assert slugs == {"big", "krt"}


def test_the_dashboard_lists_the_learners_registers(client):
    user = learner_with_profile(big_number="19012345601")
    client.force_login(user)
    response = client.get("/accreditatie/")
    assert "V&amp;VN Kwaliteitsregister" in response.text
    assert "19012345601" in response.text


def test_onboarding_asks_for_the_name_certificates_are_made_out_to(client):
    user = UserFactory(first_name="", last_name="")
    client.force_login(user)
    data = {"profession": _profession("doktersassistent")}
    response = client.post("/profiel/welkom/", data)
    assert response.status_code == 400
    assert "Vul je voornaam in: certificaten hebben die nodig." in response.text
    assert "Vul je achternaam in: certificaten hebben die nodig." in response.text
    assert not ProfessionalProfile.objects.filter(user=user).exists()

    response = client.post("/profiel/welkom/", {**data, **NAMES})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.get_full_name() == "Sanne de Vries"
    assert user.initials_stated == "S."


@pytest.mark.parametrize(
    ("typed", "stored", "stated"),
    [
        ("", "", "J.P."),
        ("jp", "J.P.", "J.P."),
        ("J P", "J.P.", "J.P."),
        ("th.j", "Th.J.", "Th.J."),
    ],
)
def test_initials_are_entered_or_taken_from_the_first_name(client, typed, stored, stated):
    user = UserFactory(first_name="", last_name="")
    client.force_login(user)
    response = client.post(
        "/profiel/welkom/",
        {
            **NAMES,
            "first_name": "Jan-Pieter",
            "initials": typed,
            "profession": _profession("doktersassistent"),
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.initials, user.initials_stated) == (stored, stated)
    # Certificates state the full name, as before.
    assert user.get_full_name() == "Jan-Pieter de Vries"


def test_the_profile_form_asks_for_initials_and_explains_them(client):
    client.force_login(learner_with_profile())
    text = client.get("/profiel/").text
    assert "Voorletters" in text
    assert "Laat je dit leeg, dan nemen we ze over van je voornaam." in text


def test_initials_that_are_not_letters_are_refused_with_an_example(client):
    user = learner_with_profile()
    client.force_login(user)
    response = client.post(
        "/profiel/",
        {**NAMES, "initials": "J.1.", "profession": _profession("doktersassistent")},
    )
    assert response.status_code == 400
    assert "Voorletters zijn letters met elk een punt erachter" in response.text
    user.refresh_from_db()
    assert user.initials == ""


def test_a_learner_with_a_profile_but_no_name_is_asked_for_it(client):
    user = learner_with_profile()
    user.first_name = user.last_name = ""
    user.save()
    client.force_login(user)
    response = client.get("/accreditatie/")
    assert response.status_code == 302
    assert response["Location"].startswith("/profiel/welkom/")
