"""The home page and search of an empty catalog, and the admin's door; the demo catalog's
home page and search are tested with the demo (test_demo_courses_complete.py)."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory, learner_with_profile

pytestmark = pytest.mark.django_db


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
