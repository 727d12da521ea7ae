"""Catalog search: full text over courses and their episodes, facets, sorting, bad input."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import CoursePage, Provider
from tests.factories import course_publish, learner_with_profile

pytestmark = pytest.mark.django_db
FAR = date(2099, 1, 1)


def _titles(response) -> list[str]:
    return re.findall(r'class="course-card__title">([^<]+)<', response.content.decode())


def _count(response, facet: str, value: str) -> int | None:
    """The count shown next to a facet option, None when the option is not shown."""
    match = re.search(
        rf'name="{facet}" value="{re.escape(value)}"[^>]*>\s*<span class="facet__label">[^<]*'
        r'</span>\s*<span class="facet__count">(\d+)</span>',
        response.content.decode(),
    )
    return int(match.group(1)) if match else None


@pytest.fixture(scope="module")
def _catalog_ids(module_rows):
    """Five courses made once for this module; each test gets them fresh from the database."""
    return module_rows(lambda: {key: course.pk for key, course in _catalog_create().items()})


@pytest.fixture
def catalog(_catalog_ids):
    return {key: CoursePage.objects.get(pk=pk) for key, pk in _catalog_ids.items()}


def _catalog_create() -> dict:
    today = timezone.localdate()
    utrecht = Provider.objects.create(name="UMC Utrecht Academie")
    return {
        "palliative": course_publish(
            title="Palliatieve zorg: de basis",
            summary="Symptoombestrijding in de laatste levensfase.",
            episodes=["Pijn en benauwdheid", "Het gesprek over wensen"],
            duration_minutes=45,
            accreditations=[("venvn", 3, FAR), ("rgs", 2, FAR)],
            tags={"professions": ["verpleegkundige", "arts"], "competencies": ["communicatie"]},
            provider=utrecht,
        ),
        "wound": course_publish(
            title="Wondzorg en decubitus",
            summary="Risico inschatten en de juiste wondbedekker kiezen.",
            episodes=["Risico inschatten", "Ademhaling en pijn bij wondzorg"],
            duration_minutes=20,
            accreditations=[("venvn", 1, FAR)],
            tags={"professions": ["verpleegkundige"], "competencies": ["medisch-handelen"]},
        ),
        "webinar": course_publish(
            title="Webinar antibioticaresistentie",
            format="webinar",
            starts_at=timezone.now() + timedelta(days=10),
            duration_minutes=90,
            price=Decimal("35"),
            accreditations=[("rgs", 1.5, FAR)],
            tags={"professions": ["arts"], "competencies": ["medisch-handelen"]},
        ),
        "classroom": course_publish(
            title="Reanimatietraining Utrecht",
            format="classroom",
            starts_at=timezone.now() + timedelta(days=40),
            address="Catharijnesingel 10, Utrecht",
            latitude=Decimal("52.0894"),
            longitude=Decimal("5.1105"),
            duration_minutes=240,
            price=Decimal("120"),
            accreditations=[("venvn", 4, FAR)],
            tags={"professions": ["verpleegkundige"], "competencies": ["medisch-handelen"]},
        ),
        "english": course_publish(
            title="Shared decision making",
            language="en",
            duration_minutes=25,
            accreditations=[("rgs", 1, today + timedelta(days=3))],
            tags={"professions": ["arts"], "competencies": ["communicatie"]},
        ),
    }


def test_words_match_courses_through_their_own_text_and_their_episodes(client, catalog):
    assert _titles(client.get("/zoeken/", {"q": "palliatieve"})) == ["Palliatieve zorg: de basis"]
    # "benauwdheid" is only in an episode title; the card says which episode.
    response = client.get("/zoeken/", {"q": "benauwdheid"})
    assert _titles(response) == ["Palliatieve zorg: de basis"]
    assert "Aflevering: Pijn en benauwdheid" in response.text
    assert set(_titles(client.get("/zoeken/", {"q": "pijn"}))) == {
        "Palliatieve zorg: de basis",
        "Wondzorg en decubitus",
    }
    assert _titles(client.get("/zoeken/", {"q": "pijn -decubitus"})) == [
        "Palliatieve zorg: de basis"
    ]


def test_facet_counts_leave_out_their_own_filter(client, catalog):
    response = client.get("/zoeken/", {"beroep": "verpleegkundige"})
    assert set(_titles(response)) == {
        "Palliatieve zorg: de basis",
        "Wondzorg en decubitus",
        "Reanimatietraining Utrecht",
    }
    # Choosing a second profession would add courses: counts ignore the profession filter...
    assert _count(response, "beroep", "verpleegkundige") == 3
    assert _count(response, "beroep", "arts") == 3
    # ...while the other facets count within it.
    assert _count(response, "vorm", "on_demand") == 2
    assert _count(response, "vorm", "classroom") == 1
    assert _count(response, "vorm", "webinar") is None  # no matches: not offered
    assert _count(response, "register", "venvn") == 3

    both = client.get("/zoeken/", {"beroep": ["verpleegkundige", "arts"], "vorm": "on_demand"})
    assert len(_titles(both)) == 3  # palliative, wound, english


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"register": "venvn", "punten": "3"}, {"palliative", "classroom"}),
        ({"punten": "3,5"}, {"classroom"}),
        ({"prijs": "gratis"}, {"palliative", "wound", "english"}),
        ({"prijs": "50"}, {"palliative", "wound", "english", "webinar"}),
        ({"duur": "kort"}, {"wound", "english"}),
        ({"duur": ["middel", "lang"]}, {"palliative", "webinar", "classroom"}),
        ({"taal": "en"}, {"english"}),
        ({"competentie": "communicatie", "beroep": "arts"}, {"palliative", "english"}),
        ({"vorm": "webinar", "vanaf": "{today}"}, {"webinar"}),
        ({"vanaf": "{in20}"}, {"classroom"}),
        ({"vanaf": "{today}", "tot": "{in20}"}, {"webinar"}),
        ({"plaats": "utrecht", "afstand": "10"}, {"classroom"}),
        ({"plaats": "groningen", "afstand": "100"}, set()),
    ],
)
def test_filters(client, catalog, params, expected):
    today = timezone.localdate()
    dates = {"{today}": today.isoformat(), "{in20}": (today + timedelta(days=20)).isoformat()}
    params = {k: dates.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
    titles = set(_titles(client.get("/zoeken/", params)))
    assert titles == {catalog[key].title for key in expected}


def test_provider_filter_and_distance_on_the_card(client, catalog):
    provider = Provider.objects.get(name="UMC Utrecht Academie")
    assert _titles(client.get("/zoeken/", {"aanbieder": provider.pk})) == [
        "Palliatieve zorg: de basis"
    ]
    response = client.get("/zoeken/", {"plaats": "amersfoort", "afstand": "50"})
    assert _titles(response) == ["Reanimatietraining Utrecht"]
    assert "20 km verderop" in response.text  # Amersfoort centre to Catharijnesingel


def test_sorting(client, catalog):
    learner = learner_with_profile()  # in the V&VN register
    client.force_login(learner)
    by_points = _titles(client.get("/zoeken/", {"sorteer": "punten"}))
    assert by_points[:3] == [
        "Reanimatietraining Utrecht",
        "Palliatieve zorg: de basis",
        "Wondzorg en decubitus",
    ]
    by_length = _titles(client.get("/zoeken/", {"sorteer": "duur"}))
    assert by_length == [
        "Wondzorg en decubitus",
        "Shared decision making",
        "Palliatieve zorg: de basis",
        "Webinar antibioticaresistentie",
        "Reanimatietraining Utrecht",
    ]
    newest = _titles(client.get("/zoeken/"))
    assert newest[0] == "Shared decision making"
    # With a query, a match in the title ranks above a match in an episode.
    relevant = _titles(client.get("/zoeken/", {"q": "wondzorg"}))
    assert relevant[0] == "Wondzorg en decubitus"


def test_the_url_holds_the_state_and_each_filter_can_be_removed(client, catalog):
    response = client.get("/zoeken/", {"q": "zorg", "beroep": "verpleegkundige", "taal": "nl"})
    text = response.text
    assert 'value="zorg"' in text
    assert re.search(r'name="beroep" value="verpleegkundige"\s+checked', text)
    chip = re.search(r'<a class="chip" href="([^"]+)">Beroep: Verpleegkundige', text)
    assert chip and "beroep" not in chip.group(1) and "taal=nl" in chip.group(1)
    assert "q=zorg" in chip.group(1)


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "x" * 5000,
        "ziekenhuis' OR 1=1; DROP TABLE catalog_coursepage; --",
        '"niet afgesloten',
        "a & b | !c :* <-> ()",
        "<script>alert('x')</script>",
        '"><img src=x onerror=alert(1)>',
        "zorg\x00\x1f\x7f",
        "é ü ñ 中文 🩺 ‮",
        "----",
        "or or or",
        "de het een",
    ],
)
def test_strange_searches_never_fail_and_are_escaped(client, catalog, query):
    response = client.get("/zoeken/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text


@pytest.mark.parametrize(
    ("params", "note"),
    [
        ({"beroep": "astronaut"}, "Onbekende waarde voor “beroep” genegeerd: “astronaut”."),
        ({"vorm": "<b>x</b>"}, "Onbekende waarde voor “vorm” genegeerd: “&lt;b&gt;x&lt;/b&gt;”."),
        ({"punten": "veel"}, "“veel” is geen aantal punten tussen 0 en 1000."),
        ({"punten": "NaN"}, "“NaN” is geen aantal punten tussen 0 en 1000."),
        ({"punten": "-3"}, "“-3” is geen aantal punten tussen 0 en 1000."),
        ({"vanaf": "31-02-2026"}, "“31-02-2026” is geen datum voor “vanaf”"),
        ({"vanaf": "2026-05-01", "tot": "2026-04-01"}, "De einddatum lag vóór de begindatum"),
        ({"plaats": "atlantis"}, "Onbekende waarde voor “plaats” genegeerd: “atlantis”."),
        ({"sorteer": "random()"}, "Onbekende waarde voor “volgorde” genegeerd"),
        ({"pagina": "abc"}, "“abc” is geen paginanummer; dit is de eerste pagina."),
        ({"pagina": "999999999999"}, "Pagina 999999999999 bestaat niet; dit is de laatste"),
        ({"pagina": "-1"}, "Pagina&#x27;s beginnen bij 1"),
        ({"q": "zorg " * 100}, "Je zoekopdracht is ingekort tot 200 tekens."),
    ],
)
def test_bad_filter_values_are_ignored_with_a_note(client, catalog, params, note):
    response = client.get("/zoeken/", params)
    assert response.status_code == 200
    assert note in response.text
    assert "<b>x</b>" not in response.text


def test_a_course_leaves_search_when_unpublished_and_episodes_count_only_when_live(client, catalog):
    course = catalog["wound"]
    course.unpublish()
    assert _titles(client.get("/zoeken/", {"q": "decubitus"})) == []
    episode = catalog["palliative"].get_children().specific().first()
    episode.unpublish()
    assert _titles(client.get("/zoeken/", {"q": "benauwdheid"})) == []
