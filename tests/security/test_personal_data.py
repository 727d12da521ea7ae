"""Personal data on pages others can open: names, never e-mail addresses; a BIG number is one
person's, and a second claim on it is a case for staff, never a silent move."""

from datetime import datetime
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accreditation import api
from accreditation.certificates.pdf import certificate_verification_url
from accreditation.models import BigNumberClaim, Certificate, ProfessionalProfile, Registration
from catalog.models import Profession
from playback.models import CourseCompletion
from playlists.models import LearningPath
from playlists.services import path_invite_create
from tests.factories import UserFactory, course_publish, learner_with_profile

pytestmark = pytest.mark.django_db

COMPLETED_AT = timezone.make_aware(datetime(2026, 3, 2, 21, 15))
NAMES = {"first_name": "Sanne", "surname_prefix": "de", "last_name": "Vries"}
BIG_NUMBER = "19012345601"


def _unnamed_learner():
    user = learner_with_profile()
    user.first_name = user.last_name = ""
    user.save()
    return user


def _profile_form(profession="verpleegkundige", big_number=BIG_NUMBER) -> dict:
    return {
        **NAMES,
        "profession": Profession.objects.get(slug=profession).pk,
        "big_number": big_number,
    }


# Certificates are made out to a name


def test_a_certificate_waits_for_the_learners_name_and_never_states_an_email(
    client, django_capture_on_commit_callbacks
):
    learner = _unnamed_learner()
    course = course_publish(title="Wondzorg", episodes=["Deel 1"])
    CourseCompletion.objects.create(user=learner, course=course, completed_at=COMPLETED_AT)
    api.course_completed(user_id=learner.pk, course_id=course.pk, completed_at=COMPLETED_AT)
    assert not Certificate.objects.filter(user=learner).exists()

    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/profiel/", _profile_form("doktersassistent", big_number=""))
    assert response.status_code == 302

    certificate = Certificate.objects.get(user=learner, course_id=course.pk)
    assert certificate.learner_name == "Sanne de Vries"
    verification = urlsplit(certificate_verification_url(certificate=certificate))
    client.logout()
    for url in (verification.path, f"{verification.path}?{verification.query}"):
        page = client.get(url).text
        assert "Sanne de Vries" in page
        assert learner.email not in page


def test_an_invitation_names_the_owner_and_never_shows_their_email(client):
    owner = UserFactory(first_name="", last_name="")
    path = LearningPath.objects.create(owner=owner, title="Wondzorg")
    invite = path_invite_create(path=path, by=owner)
    client.force_login(learner_with_profile())
    page = client.get(f"/leerpaden/uitnodiging/{invite.token}/").text
    assert owner.email not in page
    assert "een collega" in page


# A BIG number is one person's


def test_a_second_learner_cannot_take_a_big_number_it_becomes_a_claim_for_staff(client):
    holder = learner_with_profile(big_number=BIG_NUMBER)
    claimant = UserFactory()
    client.force_login(claimant)
    response = client.post("/profiel/welkom/", _profile_form(), follow=True)
    assert "Dit BIG-nummer is al gekoppeld aan een ander account" in response.text
    assert holder.email not in response.text

    assert ProfessionalProfile.objects.get(user=holder).big_number == BIG_NUMBER
    assert ProfessionalProfile.objects.get(user=claimant).big_number == ""
    assert not Registration.objects.filter(user=claimant, register__slug="big").exists()
    claim = BigNumberClaim.objects.get()
    assert (claim.user, claim.big_number, claim.status) == (claimant, BIG_NUMBER, "open")

    # Entering it again does not pile up claims; nor does the BIG re-registration form.
    client.post("/profiel/", _profile_form())
    client.post(
        "/accreditatie/big-herregistratie/",
        {"big_number": BIG_NUMBER, "decided_on": "2024-05-01"},
    )
    assert BigNumberClaim.objects.count() == 1
    assert ProfessionalProfile.objects.get(user=holder).big_number == BIG_NUMBER


def _staff(*, permission: bool):
    user = learner_with_profile()
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    if permission:
        user.user_permissions.add(Permission.objects.get(codename="change_bignumberclaim"))
    return user


def test_staff_with_the_permission_grant_a_claim_and_the_number_moves(client):
    holder = learner_with_profile(big_number=BIG_NUMBER)
    claimant = learner_with_profile()
    client.force_login(claimant)
    client.post("/profiel/", _profile_form())
    claim = BigNumberClaim.objects.get()
    decide_url = f"/admin/bignumberclaim/decide/{claim.pk}/"

    client.force_login(_staff(permission=False))
    assert client.get(decide_url).status_code in (302, 403)
    assert client.post(decide_url, {"decision": "grant", "note": "x"}).status_code in (302, 403)
    assert ProfessionalProfile.objects.get(user=holder).big_number == BIG_NUMBER

    client.force_login(_staff(permission=True))
    assert client.get("/admin/bignumberclaim/").status_code == 200
    response = client.post(decide_url, {"decision": "grant", "note": ""})
    assert response.status_code == 200  # the note is required
    response = client.post(
        decide_url, {"decision": "grant", "note": "Gebeld met beiden; BIG-register geraadpleegd."}
    )
    assert response.status_code == 302
    assert ProfessionalProfile.objects.get(user=holder).big_number == ""
    assert ProfessionalProfile.objects.get(user=claimant).big_number == BIG_NUMBER
    assert Registration.objects.get(user=claimant, register__slug="big").member_number == (
        BIG_NUMBER
    )
    assert not Registration.objects.filter(user=holder, register__slug="big").exists()
    claim.refresh_from_db()
    assert claim.status == "granted"
    # A decided claim is not decided twice.
    assert client.post(decide_url, {"decision": "refuse", "note": "later"}).status_code == 200
    claim.refresh_from_db()
    assert claim.status == "granted"


def test_the_database_holds_a_big_number_once():
    from django.db import IntegrityError, transaction

    learner_with_profile(big_number=BIG_NUMBER)
    other = learner_with_profile()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProfessionalProfile.objects.filter(user=other).update(big_number=BIG_NUMBER)
