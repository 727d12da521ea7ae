"""Sharing learning paths: links, following, copies and colleagues who work on a path, and an
access matrix over every endpoint for every kind of visitor."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import CoursePage
from playlists import services
from playlists.models import LearningPath, PathInvite
from tests.factories import course_publish, learner_with_profile

pytestmark = pytest.mark.django_db


PEOPLE = ("owner", "collaborator", "follower", "other")


@pytest.fixture(scope="module")
def _world_ids(module_rows):
    """The path and its people, made once for this module: their ids."""

    def create():
        world = _world_create()
        return {
            "path": world["path"].pk,
            "courses": [course.pk for course in world["courses"]],
            **{who: world[who].pk for who in PEOPLE},
        }

    return module_rows(create)


@pytest.fixture
def world(_world_ids):
    """The path and its people, fresh from the database for each test."""
    users = get_user_model().objects.in_bulk([_world_ids[who] for who in PEOPLE])
    return {
        "path": LearningPath.objects.get(pk=_world_ids["path"]),
        "courses": [CoursePage.objects.get(pk=pk) for pk in _world_ids["courses"]],
        **{who: users[_world_ids[who]] for who in PEOPLE},
        "anonymous": None,
    }


def _world_create() -> dict:
    courses = [course_publish(title=f"Cursus {n}") for n in range(4)]
    owner, colleague, fan, stranger = (learner_with_profile() for _ in range(4))
    path = services.path_create(owner=owner, title="Afdeling 3B")
    for course in courses[:2]:
        services.path_item_add(path=path, actor=owner, course_id=course.pk)
    invite = services.path_invite_create(path=path, by=owner)
    services.path_invite_accept(token=invite.token, user=colleague)
    path.visibility = LearningPath.Visibility.LINK
    path.save()
    services.path_follow(path=path, user=fan)
    path.visibility = LearningPath.Visibility.PRIVATE
    path.save()
    return {
        "path": path,
        "courses": courses,
        "owner": owner,
        "collaborator": colleague,
        "follower": fan,
        "other": stranger,
        "anonymous": None,
    }


def _calls(world):
    path, first = world["path"], world["path"].items.order_by("rank").first()
    base = f"/leerpaden/{path.pk}"
    extra = world["courses"][3].pk
    return {
        "read": [("get", f"{base}/", {})],
        "write": [
            ("post", f"{base}/items/", {"cursus": extra}),
            ("post", f"{base}/items/{first.pk}/verplaatsen/", {"stap": "1"}),
            ("post", f"{base}/items/{first.pk}/verwijderen/", {}),
        ],
        "own": [
            ("post", f"{base}/bewerken/", {"title": "Overgenomen", "visibility": "public"}),
            ("post", f"{base}/nieuwe-link/", {}),
            ("post", f"{base}/uitnodigen/", {}),
            ("post", f"{base}/samenwerkers/{world['collaborator'].pk}/verwijderen/", {}),
            ("post", f"{base}/verwijderen/", {}),
        ],
    }


ALLOWED = {
    "private": {
        "owner": {"read", "write", "own"},
        "collaborator": {"read", "write"},
        "follower": set(),
        "other": set(),
    },
    "link": {
        "owner": {"read", "write", "own"},
        "collaborator": {"read", "write"},
        "follower": {"read"},
        "other": set(),  # without the link
    },
    "public": {
        "owner": {"read", "write", "own"},
        "collaborator": {"read", "write"},
        "follower": {"read"},
        "other": {"read"},
    },
}


@pytest.mark.parametrize("visibility", ["private", "link", "public"])
@pytest.mark.parametrize("who", ["owner", "collaborator", "follower", "other", "anonymous"])
def test_access_matrix(client, world, visibility, who):
    path = world["path"]
    LearningPath.objects.filter(pk=path.pk).update(visibility=visibility)
    if world[who] is not None:
        client.force_login(world[who])
    for need, calls in _calls(world).items():
        for method, url, data in calls:
            response = getattr(client, method)(url, data)
            if who == "anonymous":
                assert response.status_code == 302, (need, url)
                assert "/accounts/login/" in response["Location"]
            elif need in ALLOWED[visibility][who]:
                assert response.status_code in (200, 302), (need, url)
            else:
                assert response.status_code == 404, (who, visibility, need, url)
        if who not in ("owner", "collaborator"):
            # Nothing a reader or stranger tried changed the path.
            path.refresh_from_db()
            assert path.title == "Afdeling 3B" and path.items.count() == 2


def test_a_share_link_lets_another_learner_follow_and_a_new_link_ends_it(client, world):
    path, other = world["path"], world["other"]
    services.path_update(path=path, title=path.title, description="", visibility="link")
    client.force_login(other)
    assert client.get(f"/leerpaden/{path.pk}/").status_code == 404  # not without the link
    shared = client.get(f"/leerpaden/gedeeld/{path.share_token}/")
    assert shared.status_code == 200 and "Volgen" in shared.text
    client.post(f"/leerpaden/{path.pk}/volgen/", {"token": path.share_token})
    library = client.get("/leerpaden/").text
    assert "Gevolgd" in library and "Afdeling 3B" in library
    old_token = path.share_token
    services.path_share_link_renew(path=path)
    client.force_login(learner_with_profile())
    assert client.get(f"/leerpaden/gedeeld/{old_token}/").status_code == 404
    client.force_login(other)
    assert client.get(f"/leerpaden/{path.pk}/").status_code == 200  # followers keep it
    # A private path's link does not work at all.
    services.path_update(path=path, title=path.title, description="", visibility="private")
    assert client.get(f"/leerpaden/gedeeld/{path.share_token}/").status_code == 404
    assert "Afdeling 3B" not in client.get("/leerpaden/").text


def test_a_visitor_with_the_share_link_sees_a_preview_and_is_asked_to_sign_up(client, world):
    path = world["path"]
    services.path_update(path=path, title=path.title, description="", visibility="link")
    preview = client.get(f"/leerpaden/gedeeld/{path.share_token}/")
    html = preview.content.decode()
    assert preview.status_code == 200
    assert '<p class="eyebrow">Gedeeld leerpad</p>' in html
    assert "Afdeling 3B" in html and "Cursus 0" in html and "Cursus 1" in html
    assert "Gratis aanmelden" in html and "Inloggen" in html
    assert f"/accounts/signup/?next=/leerpaden/gedeeld/{path.share_token}/" in html
    # Only the link shows it: not the path's own address, nor the link of a private path.
    assert client.get(f"/leerpaden/{path.pk}/").status_code == 302
    assert client.get("/leerpaden/gedeeld/geraden/").status_code == 404
    services.path_update(path=path, title=path.title, description="", visibility="private")
    assert client.get(f"/leerpaden/gedeeld/{path.share_token}/").status_code == 404


def test_someone_else_s_path_is_shared_not_mine_and_the_owner_can_copy_its_link(client, world):
    path = world["path"]
    services.path_update(path=path, title=path.title, description="", visibility="link")
    client.force_login(world["other"])
    html = client.get(f"/leerpaden/gedeeld/{path.share_token}/").content.decode()
    assert '<p class="eyebrow">Gedeeld leerpad</p>' in html  # not "Mijn leerpaden"
    client.force_login(world["owner"])
    html = client.get(f"/leerpaden/{path.pk}/").content.decode()
    assert '<p class="eyebrow"><a href="/leerpaden/">Mijn leerpaden</a></p>' in html
    assert "Link kopiëren" in html and 'data-copied="Link gekopieerd"' in html
    assert 'aria-live="polite" data-copy-status' in html


def test_a_copy_is_the_learners_own_and_the_original_is_untouched(client, world):
    path, other = world["path"], world["other"]
    services.path_update(path=path, title=path.title, description="Team", visibility="public")
    client.force_login(other)
    response = client.post(f"/leerpaden/{path.pk}/kopie/")
    copy = LearningPath.objects.get(owner=other)
    assert response["Location"] == f"/leerpaden/{copy.pk}/"
    assert copy.title == "Kopie van Afdeling 3B"
    assert list(copy.items.values_list("course_id", flat=True)) == list(
        path.items.values_list("course_id", flat=True)
    )
    services.path_item_remove(path=copy, item_id=copy.items.first().pk)
    assert path.items.count() == 2


def test_invitations_work_once_and_only_until_they_expire(client, world):
    path, owner = world["path"], world["owner"]
    invite = services.path_invite_create(path=path, by=owner)
    first, second = learner_with_profile(), learner_with_profile()
    client.force_login(first)
    page = client.get(f"/leerpaden/uitnodiging/{invite.token}/")
    assert "Afdeling 3B" in page.text and "Accepteren" in page.text
    client.post(f"/leerpaden/uitnodiging/{invite.token}/")
    assert path.collaborators.filter(user=first).exists()
    client.force_login(second)
    reused = client.post(f"/leerpaden/uitnodiging/{invite.token}/")
    assert "al gebruikt" in reused.text
    assert not path.collaborators.filter(user=second).exists()
    late = services.path_invite_create(path=path, by=owner)
    PathInvite.objects.filter(pk=late.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert "verlopen" in client.post(f"/leerpaden/uitnodiging/{late.token}/").text
    assert "bestaat niet" in client.post("/leerpaden/uitnodiging/onzin/").text
    assert not path.collaborators.filter(user=second).exists()


def test_a_collaborator_adds_through_the_menu_and_can_be_removed_by_the_owner(client, world):
    path, colleague = world["path"], world["collaborator"]
    client.force_login(colleague)
    menu = client.get(
        "/leerpaden/toevoegen/", {"cursus": world["courses"][3].pk}, HTTP_HX_REQUEST="true"
    )
    assert "Afdeling 3B" in menu.text
    client.post(f"/leerpaden/{path.pk}/items/", {"cursus": world["courses"][3].pk})
    assert path.items.count() == 3
    assert path.items.order_by("rank").last().added_by == colleague
    client.force_login(world["owner"])
    client.post(f"/leerpaden/{path.pk}/samenwerkers/{colleague.pk}/verwijderen/")
    client.force_login(colleague)
    assert client.get(f"/leerpaden/{path.pk}/").status_code == 404


def test_public_paths_show_on_the_owner_s_profile_and_nothing_else_does(client, world):
    path, owner = world["path"], world["owner"]
    hidden = services.path_create(owner=owner, title="Alleen voor mij")
    services.path_item_add(path=hidden, actor=owner, course_id=world["courses"][0].pk)
    client.force_login(world["other"])
    assert client.get(f"/leerpaden/van/{owner.pk}/").status_code == 404  # nothing public yet

    path.visibility = LearningPath.Visibility.PUBLIC
    path.save()
    page = client.get(f"/leerpaden/van/{owner.pk}/").content.decode()
    assert "Afdeling 3B" in page and "Alleen voor mij" not in page
    assert owner.get_full_name() in page and owner.email not in page
    path_page = client.get(f"/leerpaden/{path.pk}/").content.decode()
    assert f'href="/leerpaden/van/{owner.pk}/"' in path_page and owner.email not in path_page
    client.logout()
    assert client.get(f"/leerpaden/van/{owner.pk}/").status_code == 302  # to the sign-in page
