import pytest

pytestmark = pytest.mark.django_db


def test_dutch_is_the_default_even_for_an_english_browser(client):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    assert '<html lang="nl">' in response.text
    assert "Direct naar de inhoud" in response.text
    assert response["Content-Language"] == "nl"


def test_the_language_switch_turns_the_site_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/zoeken/"})
    assert response.status_code == 302
    response = client.get("/zoeken/")
    assert '<html lang="en">' in response.text
    assert "Skip to content" in response.text
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert "Direct naar de inhoud" in client.get("/zoeken/").text


def test_an_unknown_language_cookie_falls_back_to_dutch(client):
    client.cookies["django_language"] = "xx"
    assert '<html lang="nl">' in client.get("/").text


def test_every_dutch_message_is_translated():
    import re
    from pathlib import Path

    po = (Path(__file__).resolve().parents[2] / "locale/nl/LC_MESSAGES/django.po").read_text()
    # An empty msgstr with no continuation line is an untranslated message.
    untranslated = re.findall(
        r'^msgid (".*")\n(?:msgid_plural .*\n)?msgstr(?:\[0\])? ""\n(?!")', po, re.M
    )
    assert not untranslated
    assert "#, fuzzy" not in po
