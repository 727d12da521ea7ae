import re
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _code_from_last_mail() -> str:
    body = mail.outbox[-1].body
    match = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4}|[A-Z0-9]{6})\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(1)


def test_signup_verifies_email_by_code_and_continues_to_onboarding(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "nieuw@ziekenhuis.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert mail.outbox[-1].to == ["nieuw@ziekenhuis.example"]

    response = client.post(
        reverse("account_email_verification_sent"), {"code": _code_from_last_mail()}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accreditation:onboarding")
    assert client.get("/").status_code == 302  # onboarding first


def test_signup_with_a_used_email_tells_the_owner_in_dutch_without_revealing_it(client):
    """Enumeration protection: the form does not say the address is taken; its owner is told."""
    UserFactory(email="bestaat@ziekenhuis.example")
    response = client.post(
        reverse("account_signup"),
        {"email": "Bestaat@Ziekenhuis.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert get_user_model().objects.filter(email__iexact="bestaat@ziekenhuis.example").count() == 1
    assert mail.outbox[-1].to == ["bestaat@ziekenhuis.example"]
    assert "al een account" in mail.outbox[-1].body


def test_signup_with_a_weak_password_says_why_in_dutch(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "zwak@ziekenhuis.example", "password1": "kort", "password2": "kort"},
    )
    assert response.status_code == 200
    assert "Dit wachtwoord is te kort: gebruik minstens 10 tekens." in response.text
    assert not mail.outbox


def test_login_by_code_sent_by_email(client):
    user = UserFactory()
    response = client.post(reverse("account_request_login_code"), {"email": user.email})
    assert response.status_code == 302

    response = client.post(reverse("account_confirm_login_code"), {"code": _code_from_last_mail()})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(("remember", "weeks"), [(True, 6), (False, 0)])
def test_remember_me_keeps_the_session_for_weeks(client, settings, remember, weeks):
    user = UserFactory()
    data = {"login": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    client.post(reverse("account_login"), data)
    expiry = client.session.get_expiry_age()
    if remember:
        assert expiry == int(timedelta(weeks=weeks).total_seconds())
        assert not client.session.get_expire_at_browser_close()
    else:
        assert client.session.get_expire_at_browser_close()


def test_totp_two_factor_is_asked_after_the_password(client):
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    user = UserFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    # Adding a second factor asks for the password again.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    secret = response.context["form"].secret
    counter = next(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(secret, counter))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    client.logout()

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_limited_per_account(client):
    user = UserFactory()
    for _attempt in range(5):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "x"})
        assert response.status_code == 200
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "Te veel inlogpogingen. Probeer het later nogmaals." in response.text
    assert "_auth_user_id" not in client.session


def test_trusted_proxy_count_keeps_clients_behind_a_load_balancer_apart(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    limited = "Te veel inlogpogingen"

    def fail(client_ip, n):
        return client.post(
            reverse("account_login"),
            {"login": f"iemand{n}@ziekenhuis.example", "password": "fout-wachtwoord"},
            headers={"x-forwarded-for": client_ip},
            REMOTE_ADDR="10.0.0.1",  # the load balancer
        ).text

    assert not any(limited in fail("198.51.100.7", n) for n in range(3))
    assert limited in fail("198.51.100.7", 4)
    assert limited not in fail("203.0.113.9", 5)  # another client behind the same balancer
