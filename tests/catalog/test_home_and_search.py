import pytest
from django.contrib.auth.models import Group

from lms.demo.catalog import demo_catalog_seed
from lms.demo.course_data import COURSES
from tests.factories import UserFactory, learner_with_profile

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_catalog(module_rows):
    """The demo catalog, seeded once for this module's tests: how many courses it created."""
    return module_rows(demo_catalog_seed)


@pytest.mark.slow
def test_the_home_page_shows_the_demo_catalog(client, demo_catalog):
    response = client.get("/")
    assert response.status_code == 200
    hero = response.text[response.text.index('class="hero') : response.text.index("</section>")]
    assert "Interprofessioneel samenwerken in het MDO" in hero  # the first featured course
    assert "Uitgelicht: verder dan je eigen vak" in response.text
    assert COURSES[-1]["title"] in response.text  # the newest
    assert ".webp" in response.text  # covers are served as WebP renditions


@pytest.mark.slow
def test_seeding_twice_creates_nothing_new(demo_catalog):
    assert demo_catalog == len(COURSES) >= 30
    assert demo_catalog_seed() == 0


@pytest.mark.slow
def test_search_finds_a_course_and_escapes_the_query(client, demo_catalog):
    client.force_login(learner_with_profile())
    response = client.get("/zoeken/", {"q": "palliatieve"})
    assert "Palliatieve zorg: de basis" in response.text
    assert "Reanimatie" not in response.text
    response = client.get("/zoeken/", {"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_an_oversized_search_is_shortened_with_a_note(client):
    response = client.get("/zoeken/", {"q": "zorg " * 100})
    assert response.status_code == 200
    assert "Je zoekopdracht is ingekort tot 200 tekens." in response.text


def test_editors_reach_the_wagtail_admin_and_learners_do_not(client):
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code == 200
    assert client.get("/admin/snippets/catalog/profession/").status_code == 200

    client.force_login(learner_with_profile())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
