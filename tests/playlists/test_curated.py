"""Learning paths the editors compose in Wagtail: published, followed, copied, featured."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page

from catalog.models import CoursePage
from playlists.demo import demo_curated_seed
from playlists.models import CuratedPath, LearningPath
from tests.factories import UserFactory, course_publish, learner_with_profile

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _curated_ids(module_rows):
    """The curated path and its courses, made once for this module: their ids."""

    def create():
        path, courses, episode = _curated_create()
        return path.pk, [course.pk for course in courses], episode.pk

    return module_rows(create)


@pytest.fixture
def curated(_curated_ids):
    """The curated path, its courses and the episode in it, fresh for each test."""
    path_id, course_ids, episode_id = _curated_ids
    return (
        CuratedPath.objects.get(pk=path_id),
        [CoursePage.objects.get(pk=pk) for pk in course_ids],
        Page.objects.get(pk=episode_id),
    )


def _curated_create():
    courses = [course_publish(title=f"Palliatief {n}", episodes=[f"Deel {n}"]) for n in range(3)]
    episode = courses[2].get_children().first()
    path = CuratedPath(
        slug="palliatief",
        title="Palliatieve zorg — de basis",
        intro="Voor iedereen die mensen in hun laatste fase begeleidt.",
        sections=[
            (
                "section",
                {
                    "title": "Herkennen",
                    "intro": "Wanneer begint het?",
                    "items": [courses[0], courses[1]],
                },
            ),
            ("section", {"title": "Verdieping", "intro": "", "items": [episode, courses[0]]}),
        ],
    )
    path.save()
    path.save_revision().publish()
    return path, courses, episode


def test_a_published_curated_path_shows_its_sections_and_a_draft_does_not_exist(client, curated):
    _path, courses, _episode = curated
    page = client.get("/leerpaden/redactie/palliatief/")
    assert page.status_code == 200
    text = page.text
    assert "1. Herkennen" in text and "Wanneer begint het?" in text and "2. Verdieping" in text
    assert "Deel 2" in text and "Aflevering van Palliatief 2" in text
    draft = CuratedPath(slug="concept", title="Concept", sections=[], live=False)
    draft.save()
    assert client.get("/leerpaden/redactie/concept/").status_code == 404
    courses[1].unpublish()
    assert "Palliatief 1" not in client.get("/leerpaden/redactie/palliatief/").text


def test_learners_follow_a_curated_path_or_copy_it(client, curated):
    _path, courses, episode = curated
    learner = learner_with_profile()
    client.force_login(learner)
    client.post("/leerpaden/redactie/palliatief/volgen/")
    library = client.get("/leerpaden/").text
    assert "Van de redactie" in library and "Palliatieve zorg — de basis" in library
    client.post("/leerpaden/redactie/palliatief/volgen/", {"volgen": "0"})
    assert "Van de redactie" not in client.get("/leerpaden/").text

    response = client.post("/leerpaden/redactie/palliatief/kopie/")
    copy = LearningPath.objects.get(owner=learner)
    assert response["Location"] == f"/leerpaden/{copy.pk}/"
    items = list(copy.items.order_by("rank").values_list("course_id", "episode_id"))
    # The sections one after another; a course named twice comes once.
    assert items == [(courses[0].pk, None), (courses[1].pk, None), (courses[2].pk, episode.pk)]


def test_featured_curated_paths_are_on_the_home_page(client, curated):
    assert "Leerpaden van de redactie" in client.get("/").text
    CuratedPath.objects.update(featured=False)
    assert "Leerpaden van de redactie" not in client.get("/").text


def test_editors_write_curated_paths_and_moderators_publish_them(client):
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get("/admin/snippets/playlists/curatedpath/").status_code == 200
    assert client.get("/admin/snippets/playlists/curatedpath/add/").status_code == 200
    assert not editor.has_perm("playlists.publish_curatedpath")
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    assert moderator.has_perm("playlists.publish_curatedpath")


@pytest.mark.slow
def test_the_demo_curated_paths_are_seeded_once():
    from lms.demo.catalog import demo_catalog_seed
    from playlists.demo import DEMO_CURATED

    demo_catalog_seed(
        slugs={
            slug for *_text, sections in DEMO_CURATED for *_s, slugs in sections for slug in slugs
        }
    )
    assert demo_curated_seed() == 2
    assert demo_curated_seed() == 0
    assert CuratedPath.objects.filter(live=True).count() == 2


def test_the_home_page_queries_do_not_grow_with_curated_paths(client, curated):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path, _courses, _episode = curated

    def measure() -> int:
        client.get("/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        return len(queries)

    one = measure()
    for number in range(5):
        more = CuratedPath(slug=f"pad-{number}", title=f"Pad {number}", sections=path.sections)
        more.save()
        more.save_revision().publish()
    assert measure() == one
