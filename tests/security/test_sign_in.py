"""Every way to sign in or reset a password goes through allauth: the second factor is asked
before there is a session, and the failed-login lockout and reset-mail limits apply."""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory, learner_with_profile

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "een-nieuw-sterk-wachtwoord-2027"
LOCKED_OUT = "Te veel inlogpogingen. Probeer het later nogmaals."


def _totp_enable(user):
    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    return user


def _totp_code(user) -> str:
    """The code of this moment, taken well inside its period: a code taken in the period's last
    seconds may have expired by the time a busy machine checks it."""
    left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if left < 3:
        time.sleep(left)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(user.totp_secret, counters[len(counters) // 2]))


def _editor(**fields):
    editor = UserFactory(is_staff=True, **fields)
    editor.groups.add(Group.objects.get(name="Editors"))
    return editor


@pytest.fixture
def learner():
    """A learner with TOTP on, whose profile shows their BIG number."""
    return _totp_enable(learner_with_profile(big_number="19012345601"))


@pytest.fixture
def editor():
    return _totp_enable(_editor())


@pytest.fixture(params=["learner", "editor"])
def user_with_totp(request):
    return request.getfixturevalue(request.param)


def _assert_signed_out(client):
    profile = client.get("/profiel/")
    assert profile.status_code == 302
    assert profile["Location"].startswith(reverse("account_login"))
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert admin["Location"].startswith("/admin/login/")


def _assert_signed_in_as(client, user):
    assert client.session.get("_auth_user_id") == str(user.pk)


def _code_from_last_mail() -> str:
    body = mail.outbox[-1].body
    match = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4}|[A-Z0-9]{6})\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(1)


def _link_from_last_mail() -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


# --- The forms outside allauth ---------------------------------------------------------------


def _wagtail_admin_login(client, user, password=PASSWORD):
    return client.post("/admin/login/", {"username": user.email, "password": password})


def _wagtail_frontend_login(client, user, password=PASSWORD):
    return client.post("/_util/login/", {"username": user.email, "password": password})


def _django_admin_login(client, user, password=PASSWORD):
    return client.post(
        "/django-admin/login/?next=/django-admin/",
        {"username": user.email, "password": password, "next": "/django-admin/"},
    )


OTHER_FORMS = [_wagtail_admin_login, _wagtail_frontend_login, _django_admin_login]


@pytest.mark.parametrize("sign_in", OTHER_FORMS, ids=lambda form: form.__name__.strip("_"))
def test_no_other_sign_in_form_skips_the_second_factor(client, user_with_totp, sign_in):
    sign_in(client, user_with_totp)

    assert "_auth_user_id" not in client.session
    _assert_signed_out(client)
    assert client.get("/django-admin/").status_code == 404


@pytest.mark.parametrize("sign_in", OTHER_FORMS, ids=lambda form: form.__name__.strip("_"))
def test_no_other_sign_in_form_lets_a_locked_account_in(client, sign_in):
    """An editor without a second factor, locked after five wrong passwords."""
    editor = _editor()
    for _attempt in range(5):
        client.post(reverse("account_login"), {"login": editor.email, "password": "fout"})
    response = client.post(reverse("account_login"), {"login": editor.email, "password": PASSWORD})
    assert LOCKED_OUT in response.text

    sign_in(client, editor)

    assert "_auth_user_id" not in client.session
    _assert_signed_out(client)


def test_wagtail_admin_sends_a_visitor_through_sign_in_and_second_factor_back_to_it(client, editor):
    response = client.get("/admin/pages/", follow=True)
    login_url = response.redirect_chain[-1][0]
    assert login_url == f"{reverse('account_login')}?next=%2Fadmin%2Fpages%2F"

    response = client.post(login_url, {"login": editor.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    _assert_signed_out(client)

    response = client.post(reverse("mfa_authenticate"), {"code": _totp_code(editor)}, follow=True)

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


def test_the_first_administrator_reaches_the_admin_through_the_sites_sign_in(client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--email", "beheer@leerstroom.example", "--noinput")

    response = client.get("/admin/", follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"login": "beheer@leerstroom.example", "password": PASSWORD},
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    _assert_signed_out(client)
    response = client.post(
        reverse("account_email_verification_sent"), {"code": _code_from_last_mail()}, follow=True
    )

    assert response.request["PATH_INFO"] == "/admin/"
    assert response.status_code == 200


def test_wagtail_sign_in_links_keep_a_safe_next_and_drop_another_site(client):
    response = client.get("/admin/login/?next=/admin/videos/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fvideos%2F"
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    response = client.get("/_util/login/?next=/cursussen/reanimatie/")
    assert response["Location"] == "/accounts/login/?next=%2Fcursussen%2Freanimatie%2F"
    response = client.get("/_util/login/?next=//evil.example/")
    assert response["Location"] == "/accounts/login/"


def test_the_admin_sign_in_refuses_a_signed_in_learner_without_a_redirect_loop(client):
    client.force_login(learner_with_profile())
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1
    assert "Je hebt geen toegang tot deze pagina" in response.text


def test_a_signed_in_editor_at_the_admin_sign_in_goes_on_to_the_admin(client):
    client.force_login(_editor())
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response["Location"] == "/admin/pages/"


# --- allauth's own ways in --------------------------------------------------------------------


def test_password_sign_in_asks_for_the_second_factor_first(client, user_with_totp):
    response = client.post(
        reverse("account_login"), {"login": user_with_totp.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    _assert_signed_out(client)

    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    _assert_signed_out(client)

    client.post(reverse("mfa_authenticate"), {"code": _totp_code(user_with_totp)})
    _assert_signed_in_as(client, user_with_totp)


def test_the_learner_profile_opens_only_after_the_second_factor(client, learner):
    client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    assert "19012345601" not in client.get("/profiel/", follow=True).text

    client.post(reverse("mfa_authenticate"), {"code": _totp_code(learner)})

    assert "19012345601" in client.get("/profiel/").text


def test_sign_in_by_mailed_code_asks_for_the_second_factor_first(client, user_with_totp):
    client.post(reverse("account_request_login_code"), {"email": user_with_totp.email})
    response = client.post(reverse("account_confirm_login_code"), {"code": _code_from_last_mail()})

    assert response["Location"] == reverse("mfa_authenticate")
    _assert_signed_out(client)
    client.post(reverse("mfa_authenticate"), {"code": _totp_code(user_with_totp)})
    _assert_signed_in_as(client, user_with_totp)


def test_confirming_the_email_address_at_sign_in_asks_for_the_second_factor_first(client):
    user = _totp_enable(UserFactory(verified_email=False))
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("account_email_verification_sent")

    response = client.post(
        reverse("account_email_verification_sent"), {"code": _code_from_last_mail()}
    )

    assert response["Location"] == reverse("mfa_authenticate")
    _assert_signed_out(client)
    assert user.emailaddress_set.get().verified


def _password_reset_by_mail(client, user):
    client.post(reverse("account_reset_password"), {"email": user.email})
    response = client.get(_link_from_last_mail())
    return client.post(response["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def test_a_password_reset_does_not_sign_in_and_the_new_password_still_needs_the_code(
    client, user_with_totp
):
    response = _password_reset_by_mail(client, user_with_totp)

    assert response["Location"] == reverse("account_reset_password_from_key_done")
    _assert_signed_out(client)
    response = client.post(
        reverse("account_login"), {"login": user_with_totp.email, "password": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    _assert_signed_out(client)


# --- Password reset and change outside allauth ------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/admin/password_reset/",
        "/admin/password_reset/done/",
        "/admin/password_reset/confirm/MQ/set-password/",
        "/admin/password_reset/complete/",
    ],
)
def test_wagtail_password_reset_pages_lead_to_allauths(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password")


def test_reset_mails_are_limited_whichever_reset_form_is_used(client):
    editor = _editor()
    sent_before = len(mail.outbox)
    for _attempt in range(20):
        response = client.post("/admin/password_reset/", {"email": editor.email}, follow=True)
        client.post(response.redirect_chain[-1][0], {"email": editor.email})

    assert 1 <= len(mail.outbox) - sent_before <= 5
    assert all(message.to == [editor.email] for message in mail.outbox[sent_before:])


def test_editors_change_their_password_and_second_factor_in_allauth_only(client, editor):
    client.force_login(editor)
    account = client.get("/admin/account/").text
    assert 'name="password-new_password1"' not in account
    assert reverse("account_change_password") in account
    assert reverse("mfa_index") in account
    assert "Eén wachtwoord voor de site en de beheeromgeving." in account

    client.post(
        "/admin/account/",
        {
            "name_email-first_name": editor.first_name,
            "name_email-last_name": editor.last_name,
            "name_email-email": editor.email,
            "password-old_password": PASSWORD,
            "password-new_password1": NEW_PASSWORD,
            "password-new_password2": NEW_PASSWORD,
        },
    )
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def test_administrators_cannot_set_another_users_password_in_wagtail(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    form = client.get("/admin/users/new/").text
    assert 'name="password1"' not in form
    assert 'name="email"' in form
