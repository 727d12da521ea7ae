import re

from django.core import mail

from tests.factories import PASSWORD, course_publish


def _code_from_last_mail() -> str:
    match = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_sign_up_verify_email_onboard_and_reach_home(page):
    newest = [course_publish(title=title) for title in ("Wondzorg", "Valpreventie")][-1]
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Registreren").click()

    page.get_by_label("E-mail:").fill("sanne.devries@ziekenhuis.example")
    page.get_by_label("Wachtwoord:", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord (bevestigen):").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()

    page.locator("input[name=code]").fill(_code_from_last_mail())
    page.locator("main form button[type=submit]").first.click()

    page.wait_for_url(re.compile(r"/profiel/welkom/"))
    page.get_by_label("Voornaam").fill("Sanne")
    page.get_by_label("Tussenvoegsel").fill("de")
    page.get_by_label("Achternaam").fill("Vries")
    page.get_by_label("Beroep").select_option(label="Verpleegkundige")
    page.get_by_label("BIG-nummer").fill("1234")
    page.get_by_role("button", name="Opslaan en verder").click()
    assert page.get_by_text("Een BIG-nummer bestaat uit precies 11 cijfers").is_visible()

    page.get_by_label("BIG-nummer").fill("19012345601")
    page.get_by_label("V&VN Kwaliteitsregister").check()
    page.get_by_role("button", name="Opslaan en verder").click()

    # Next, the period of the register just added, as the register shows it.
    page.wait_for_url(re.compile(r"/accreditatie/registraties/\d+/"))
    assert page.get_by_text("Welkom bij Leerstroom! Je profiel is opgeslagen.").is_visible()
    page.get_by_label("Begin van je periode").fill("2026-01-01")
    page.get_by_role("button", name="Opslaan").click()

    page.wait_for_url(page.base_url + "/")
    assert page.get_by_text("is opgeslagen").first.is_visible()
    assert page.get_by_role("heading", name="Nieuw", exact=True).is_visible()
    new_row = page.locator("section[data-row=nieuw]")
    assert new_row.get_by_role("heading", name=newest.title).is_visible()

    page.get_by_role("link", name="Mijn accreditatie").first.click()
    assert page.get_by_text("BIG-nummer: 19012345601").is_visible()
    assert page.get_by_role("heading", name="V&VN Kwaliteitsregister").is_visible()


def test_the_site_is_usable_by_keyboard(page):
    page.goto(page.base_url + "/accounts/login/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Direct naar de inhoud")
    assert skip_link.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
