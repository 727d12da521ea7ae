import re

from allauth.mfa.models import Authenticator

from tests.factories import PASSWORD, learner_with_profile


def _virtual_authenticator(page) -> None:
    """A platform authenticator inside Chromium, as a phone's fingerprint reader would be."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def _sign_in_with_password(page, email: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(page.base_url + "/")


def test_a_learner_adds_a_passkey_and_signs_in_with_it(page):
    user = learner_with_profile()
    _virtual_authenticator(page)
    _sign_in_with_password(page, user.email)

    page.goto(page.base_url + "/accounts/2fa/webauthn/add/?passwordless")
    if "reauthenticate" in page.url:
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").first.click()
    page.locator("input[name=name]").fill("Telefoon")
    page.locator("input[name=passwordless]").check()
    page.locator("#mfa_webauthn_add").click()
    # The first key comes with recovery codes, shown right after it is added.
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).exists()

    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_role("button", name="Meld je aan met een passkey").click()
    page.wait_for_url(page.base_url + "/")
    assert page.get_by_role("button", name="Accountmenu").is_visible()
