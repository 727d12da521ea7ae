"""The learner's home page: hero, featured collections and the rows chosen for them."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from catalog.models import FeaturedCollection, FeaturedCollectionItem
from tests.factories import course_publish, learner_with_profile, progress_record

pytestmark = pytest.mark.django_db


def _row(client, slug):
    return client.get(f"/rijen/{slug}/", HTTP_HX_REQUEST="true")


def _titles(response) -> list[str]:
    return re.findall(r'class="course-card__title">([^<]+)<', response.content.decode())


def test_continue_watching_resumes_the_last_unfinished_episode_and_can_be_removed(client):
    learner = learner_with_profile()
    wound = course_publish(title="Wondzorg", episodes=["Risico", "Verbanden"], duration_minutes=20)
    done = course_publish(title="Reanimatie", episodes=["BLS"])
    other = course_publish(title="Triage", episodes=["Uitvragen"])
    first, second = wound.get_children().specific()
    progress_record(user=learner, course=wound, episode=first, share=1.0, hours_ago=3)
    progress_record(user=learner, course=wound, episode=second, share=0.4, hours_ago=2)
    progress_record(user=learner, course=done, share=1.0, hours_ago=1)
    progress_record(user=learner_with_profile(), course=other, share=0.5)  # someone else
    client.force_login(learner)

    home = client.get("/")
    assert "Verder kijken" in home.text
    row = _row(client, "verder-kijken")
    assert _titles(row) == ["Wondzorg"]
    assert f"{second.url}?t=240" in row.text  # 40 % of 600 s
    assert 'aria-valuenow="40"' in row.text
    assert "Verbanden" in row.text

    response = client.post(f"/verder-kijken/{wound.pk}/verwijderen/", HTTP_HX_REQUEST="true")
    # In the card's place: what went, and a button that undoes it.
    assert (
        response.status_code == 200 and "“Wondzorg” verwijderd uit Verder kijken." in response.text
    )
    assert f'hx-post="/verder-kijken/{wound.pk}/terugzetten/"' in response.text
    assert "Ongedaan maken" in response.text
    assert _row(client, "verder-kijken").content == b""  # an empty row is left out
    assert "Verder kijken" not in client.get("/").text

    restored = client.post(f"/verder-kijken/{wound.pk}/terugzetten/", HTTP_HX_REQUEST="true")
    assert _titles(restored) == ["Wondzorg"] and f"{second.url}?t=240" in restored.text
    assert _titles(_row(client, "verder-kijken")) == ["Wondzorg"]


def test_removing_from_continue_watching_needs_a_signed_in_post(client):
    course = course_publish(title="Wondzorg", episodes=["Risico"])
    assert client.get(f"/verder-kijken/{course.pk}/verwijderen/").status_code in (302, 405)
    response = client.post(f"/verder-kijken/{course.pk}/verwijderen/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert _row(client, "verder-kijken").status_code == 404  # a visitor has no such row


def test_featured_collections_show_in_the_editors_order_with_their_pitch_and_make_the_hero(
    client,
):
    courses = [course_publish(title=f"Cursus {letter}") for letter in "ABC"]
    featured = FeaturedCollection.objects.create(title="Buiten je vak", intro="Kies eens anders")
    for order, (course, pitch) in enumerate(
        zip(courses[::-1], ["Verrassend", "", ""], strict=True)
    ):
        FeaturedCollectionItem.objects.create(
            collection=featured, course=course, pitch=pitch, sort_order=order
        )
    FeaturedCollection.objects.create(title="Verlopen", show_until=date(2020, 1, 1))
    later = FeaturedCollection.objects.create(
        title="Nog niet", show_from=timezone.localdate() + timedelta(days=3)
    )
    FeaturedCollectionItem.objects.create(collection=later, course=courses[0])

    home = client.get("/")
    text = home.text
    assert "Buiten je vak" in text and "Kies eens anders" in text
    assert "Verlopen" not in text and "Nog niet" not in text
    featured_row = text[text.index("Buiten je vak") : text.index("Nieuw")]
    assert _titles_in(featured_row) == ["Cursus C", "Cursus B", "Cursus A"]
    assert "Verrassend" in featured_row
    hero = text[text.index('class="hero') : text.index("</section>")]
    assert "Cursus C" in hero and "Verrassend" in hero


def _titles_in(html: str) -> list[str]:
    return re.findall(r'class="course-card__title">([^<]+)<', html)


def test_for_your_profession_and_popular_with_colleagues(client):
    nurse = learner_with_profile(profession_slug="verpleegkundige")
    for_nurses = course_publish(
        title="Decubitus", episodes=["Risico"], tags={"professions": ["verpleegkundige"]}
    )
    course_publish(title="Tandsteen", episodes=["Uitleg"], tags={"professions": ["tandarts"]})
    popular = course_publish(title="Delier", episodes=["DOS"])
    old_favourite = course_publish(title="Valpreventie", episodes=["Screenen"])
    for colleague in [learner_with_profile(profession_slug="verpleegkundige") for _ in range(3)]:
        progress_record(user=colleague, course=popular, share=0.5, hours_ago=24)
        progress_record(user=colleague, course=old_favourite, share=0.5, hours_ago=24 * 45)
    dentist = learner_with_profile(profession_slug="tandarts")
    progress_record(user=dentist, course=old_favourite, share=0.5)
    client.force_login(nurse)

    mine = _row(client, "voor-jouw-beroep")
    assert _titles(mine) == [for_nurses.title]
    assert "Voor jou als Verpleegkundige" in mine.text
    assert _titles(_row(client, "populair")) == [popular.title]


def test_beyond_the_comfort_zone_offers_the_competencies_watched_least(client):
    learner = learner_with_profile()
    watched = course_publish(
        title="Medicatie 1", episodes=["E"], tags={"competencies": ["medisch-handelen"]}
    )
    course_publish(title="Medicatie 2", tags={"competencies": ["medisch-handelen"]})
    course_publish(title="Gesprek", tags={"competencies": ["communicatie"]})
    course_publish(title="Onderzoek", tags={"competencies": ["kennis-en-wetenschap"]})
    progress_record(user=learner, course=watched, share=0.5)
    client.force_login(learner)

    titles = _titles(_row(client, "buiten-je-comfortzone"))
    assert "Medicatie 1" not in titles and "Medicatie 2" not in titles
    assert set(titles) <= {"Gesprek", "Onderzoek"} and titles


def test_accreditation_ending_soon_in_the_learners_own_registers(client):
    learner = learner_with_profile()  # V&VN Kwaliteitsregister
    today = timezone.localdate()
    course_publish(title="Binnenkort", accreditations=[("venvn", 2, today + timedelta(days=20))])
    course_publish(title="Later", accreditations=[("venvn", 2, today + timedelta(days=200))])
    course_publish(title="Ander register", accreditations=[("rgs", 2, today + timedelta(days=9))])
    client.force_login(learner)

    row = _row(client, "accreditatie-verloopt")
    assert _titles(row) == ["Binnenkort"]
    assert "Geaccrediteerd tot" in row.text


def test_cards_show_format_progress_and_points_in_the_learners_registers(client):
    learner = learner_with_profile()
    course = course_publish(
        title="Wondzorg",
        episodes=["Risico"],
        duration_minutes=20,
        accreditations=[("venvn", 2.5, date(2099, 1, 1)), ("rgs", 4, date(2099, 1, 1))],
    )
    progress_record(user=learner, course=course, share=1.0)
    client.force_login(learner)

    row = _row(client, "nieuw")
    card = next(part for part in row.text.split("<article")[1:] if "Wondzorg" in part)
    assert "Video op aanvraag" in card
    assert "<strong>2,5</strong> V&amp;VN Kwaliteitsregister" in card
    assert "RGS" not in card  # not one of this learner's registers
    assert 'aria-valuenow="50"' in card  # 10 of 20 minutes


def test_each_competency_has_a_row_and_unknown_rows_are_not_found(client):
    course_publish(title="Gesprek", tags={"competencies": ["communicatie"]})
    home = client.get("/")
    assert 'hx-get="/rijen/competentie-communicatie/"' in home.text
    assert _titles(_row(client, "competentie-communicatie")) == ["Gesprek"]
    page = client.get("/rijen/competentie-communicatie/")  # without JavaScript: a page
    assert page.status_code == 200 and "<html" in page.text and "Gesprek" in page.text
    assert client.get("/rijen/competentie-bestaat-niet/").status_code == 404
    assert client.get("/rijen/iets-anders/").status_code == 404


def test_the_course_page_marks_the_episodes_the_learner_watched(client):
    learner = learner_with_profile()
    course = course_publish(title="Wondzorg", episodes=["Risico", "Verbanden", "Nazorg"])
    first, second, _third = course.get_children().specific()
    progress_record(user=learner, course=course, episode=first, share=1.0)
    progress_record(user=learner, course=course, episode=second, share=0.25)
    client.force_login(learner)

    text = client.get(course.url).text
    items = re.findall(r'<li class="episode-list__item[^"]*"[^>]*>(.*?)</li>', text, re.S)
    assert "Bekeken" in items[0] and "✓" in items[0]
    assert "25% bekeken" in items[1]
    assert "bekeken" not in items[2].lower()
    client.logout()
    assert "Bekeken" not in client.get(course.url).text


def test_in_english_the_rows_are_introduced_in_english(client, settings):
    course = course_publish(title="Gesprek", tags={"competencies": ["communicatie"]})
    featured = FeaturedCollection.objects.create(
        title="Buiten je vak",
        title_en="Beyond your field",
        intro="Kies eens anders",
        intro_en="Choose differently",
    )
    FeaturedCollectionItem.objects.create(collection=featured, course=course)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    home = client.get("/").text
    assert "Beyond your field" in home and "Choose differently" in home
    assert "Kies eens anders" not in home
    assert "Patients and their families" in _row(client, "competentie-communicatie").text

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert "Kies eens anders" in client.get("/").text
    assert "Contact met patiënten" in _row(client, "competentie-communicatie").text
