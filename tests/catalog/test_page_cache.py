"""Pages read from the cache (routes, view restrictions, an episode's shared facts) are never
staler than the last change an editor made: every change moves the catalog generation on."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from catalog.generation import catalog_generation, catalog_generation_advance
from catalog.models import EpisodeChapter, EpisodePage
from playback.models import Video
from tests.factories import course_publish, learner_with_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client):
    user = learner_with_profile()
    client.force_login(user)
    return user


def _episodes(course):
    return list(EpisodePage.objects.child_of(course).order_by("path"))


def _published(page, **fields):
    page = EpisodePage.objects.get(pk=page.pk) if isinstance(page, EpisodePage) else page
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def _video() -> Video:
    return Video.objects.create(
        title="College", state=Video.State.READY, duration=600.0, published_generation=1
    )


def test_an_episode_page_read_again_costs_a_handful_of_queries(client, learner):
    first, _second = _episodes(course_publish(title="Sepsis", episodes=("Herkennen", "Handelen")))
    first = _published(first, video=_video())
    assert client.get(first.url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(first.url)
    assert response.status_code == 200
    assert "Herkennen" in response.content.decode()
    # The user, the video, the learner's resume point, their speed and subtitles, and how far
    # they got with the course's episodes (and the session itself where it is not cached): the
    # page, its restrictions, course, episodes, chapters and captions come from the cache.
    made = [query["sql"] for query in queries if "django_session" not in query["sql"]]
    assert len(made) == 5, [sql[:80] for sql in made]


def test_a_published_change_shows_at_once(client, learner):
    course = course_publish(title="Sepsis", episodes=("Herkennen", "Handelen"))
    first, second = _episodes(course)
    first = _published(first, video=_video())
    assert '"next": null' in client.get(first.url).content.decode()  # no video yet

    _published(second, video=_video(), title="Handelen in het eerste uur")
    EpisodeChapter.objects.create(episode=first, start=timedelta(seconds=90), title="Qsofa")
    course.title = "Sepsis in de acute zorg"
    course.save_revision().publish()
    html = client.get(first.url).content.decode()
    assert "Handelen in het eerste uur" in html
    assert "Qsofa" in html
    assert "Sepsis in de acute zorg" in html


def test_an_unpublished_or_deleted_page_is_gone_at_once(client, learner):
    first, second = _episodes(course_publish(title="Sepsis", episodes=("Herkennen", "Handelen")))
    assert client.get(first.url).status_code == 200
    assert client.get(second.url).status_code == 200
    url_first, url_second = first.url, second.url

    EpisodePage.objects.get(pk=first.pk).unpublish()
    EpisodePage.objects.get(pk=second.pk).delete()
    assert client.get(url_first).status_code == 404
    assert client.get(url_second).status_code == 404


def test_a_new_slug_moves_the_page_and_frees_the_old_url(client, learner):
    first, _second = _episodes(course_publish(title="Sepsis", episodes=("Herkennen", "Handelen")))
    old_url = first.url
    assert client.get(old_url).status_code == 200
    _published(first, slug="herkennen-in-de-triage")
    assert client.get(old_url).status_code == 404
    new_url = EpisodePage.objects.get(pk=first.pk).url
    assert new_url.endswith("/herkennen-in-de-triage/")
    assert client.get(new_url).status_code == 200


def test_a_view_restriction_applies_at_once(client, learner):
    course = course_publish(title="Sepsis", episodes=("Herkennen",))
    (first,) = _episodes(course)
    assert client.get(first.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Intensive care"))
    response = client.get(first.url)
    assert response.status_code in (302, 403), response.status_code

    restriction.delete()
    assert client.get(first.url).status_code == 200


def test_the_generation_moves_on_again_after_the_commit(django_capture_on_commit_callbacks):
    before = catalog_generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        catalog_generation_advance()
        during = catalog_generation()
    assert len(callbacks) == 1
    assert before < during < catalog_generation()


def test_without_the_cache_pages_are_read_afresh(client, learner, settings):
    settings.CATALOG_PAGE_CACHE = False
    first, _second = _episodes(course_publish(title="Sepsis", episodes=("Herkennen", "Handelen")))
    client.get(first.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(first.url).status_code == 200
    assert len(queries) > 5


def test_the_shared_part_of_an_episode_page_follows_the_language(client, learner):
    from django.conf import settings

    first, _second = _episodes(course_publish(title="Sepsis", episodes=("Herkennen", "Handelen")))
    first = _published(first, video=_video())
    EpisodeChapter.objects.create(episode=first, start=timedelta(seconds=90), title="Qsofa")
    assert "Hoofdstukken" in client.get(first.url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(first.url).content.decode()
    assert "Chapters" in html and "Hoofdstukken" not in html
