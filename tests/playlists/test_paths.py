"""Learning paths: making them, adding, removing and reordering items, and who may do what."""

import itertools
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import CoursePage
from playlists import services
from playlists.models import LearningPath, PathItem
from tests.factories import course_publish, learner_with_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return learner_with_profile()


@pytest.fixture(scope="module")
def _course_ids(module_rows):
    """Five courses made once for this module; each test gets them fresh from the database."""
    return module_rows(
        lambda: [
            course_publish(title=f"Cursus {n}", episodes=[f"Aflevering {n}"]).pk for n in range(5)
        ]
    )


@pytest.fixture
def courses(_course_ids):
    return [CoursePage.objects.get(pk=pk) for pk in _course_ids]


def _path_with(owner, courses) -> LearningPath:
    path = services.path_create(owner=owner, title="Wondzorg opfrissen")
    for course in courses:
        services.path_item_add(path=path, actor=owner, course_id=course.pk)
    return path


def _titles(path) -> list[str]:
    return [item.course.title for item in path.items.select_related("course").order_by("rank")]


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "Geef het leerpad een titel."),
        ("   ", "Geef het leerpad een titel."),
        ("x" * 121, "Een titel mag hoogstens 120 tekens lang zijn."),
    ],
)
def test_a_path_needs_a_sensible_title(client, owner, title, message):
    client.force_login(owner)
    response = client.post("/leerpaden/nieuw/", {"title": title}, follow=True)
    assert message in response.text
    assert not LearningPath.objects.exists()


def test_making_a_path_from_the_add_menu_adds_the_course(client, owner, courses):
    client.force_login(owner)
    menu = client.get("/leerpaden/toevoegen/", {"cursus": courses[0].pk}, HTTP_HX_REQUEST="true")
    assert "Nieuw leerpad" in menu.text
    response = client.post(
        "/leerpaden/nieuw/", {"title": "Basis", "cursus": courses[0].pk, "next": courses[0].url}
    )
    assert response.status_code == 302 and response["Location"] == courses[0].url
    path = LearningPath.objects.get()
    assert path.owner == owner and _titles(path) == ["Cursus 0"]
    menu = client.get("/leerpaden/toevoegen/", {"cursus": courses[0].pk}, HTTP_HX_REQUEST="true")
    assert "✓ Basis" in menu.text  # already holds it


def test_adding_refuses_duplicates_and_what_is_not_in_the_catalog(client, owner, courses):
    path = _path_with(owner, courses[:1])
    client.force_login(owner)
    url = f"/leerpaden/{path.pk}/items/"
    twice = client.post(url, {"cursus": courses[0].pk}, HTTP_HX_REQUEST="true")
    assert twice.status_code == 409 and "staat al in dit leerpad" in twice.text
    courses[1].unpublish()
    gone = client.post(url, {"cursus": courses[1].pk}, HTTP_HX_REQUEST="true")
    assert gone.status_code == 409 and "niet (meer) in de catalogus" in gone.text
    other_episode = courses[3].get_children().first()
    wrong = client.post(url, {"cursus": courses[2].pk, "aflevering": other_episode.pk})
    assert wrong.status_code == 302
    assert client.post(url, {"cursus": "abc"}).status_code == 400
    assert client.post(url, {"cursus": "99999999999"}).status_code == 400
    episode = courses[2].get_children().first()
    added = client.post(
        url, {"cursus": courses[2].pk, "aflevering": episode.pk}, HTTP_HX_REQUEST="true"
    )
    assert added.status_code == 200 and "Toegevoegd aan Wondzorg opfrissen" in added.text
    assert path.items.count() == 2  # the course and one episode, nothing else


def test_a_removed_item_can_be_put_back_where_it_was(client, owner, courses):
    path = _path_with(owner, courses[:3])
    middle = path.items.get(course=courses[1])
    client.force_login(owner)
    page = client.post(f"/leerpaden/{path.pk}/items/{middle.pk}/verwijderen/", follow=True)
    assert _titles(path) == ["Cursus 0", "Cursus 2"]
    assert "“Cursus 1” verwijderd uit het leerpad." in page.text and "Ongedaan maken" in page.text
    first = path.items.get(course=courses[0])
    assert f'name="na" value="{first.pk}"' in page.text

    client.post(f"/leerpaden/{path.pk}/items/", {"cursus": courses[1].pk, "na": first.pk})
    assert _titles(path) == ["Cursus 0", "Cursus 1", "Cursus 2"]
    assert "Ongedaan maken" not in client.get(f"/leerpaden/{path.pk}/").text  # offered once

    # The first item goes back first.
    client.post(f"/leerpaden/{path.pk}/items/{first.pk}/verwijderen/")
    client.post(f"/leerpaden/{path.pk}/items/", {"cursus": courses[0].pk, "na": ""})
    assert _titles(path) == ["Cursus 0", "Cursus 1", "Cursus 2"]


def test_moving_an_item_writes_only_that_item(owner, courses):
    path = _path_with(owner, courses)
    before = dict(path.items.values_list("pk", "rank"))
    items = list(path.items.order_by("rank"))
    with CaptureQueriesContext(connection) as queries:
        services.path_item_move(path=path, item_id=items[0].pk, after_id=items[3].pk)
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    after = dict(path.items.values_list("pk", "rank"))
    assert [pk for pk in before if before[pk] != after[pk]] == [items[0].pk]
    assert _titles(path) == ["Cursus 1", "Cursus 2", "Cursus 3", "Cursus 0", "Cursus 4"]
    services.path_item_move(path=path, item_id=items[4].pk, after_id=None)
    assert _titles(path)[0] == "Cursus 4"


def test_ranks_are_spread_again_when_there_is_no_room(owner, courses):
    path = _path_with(owner, courses[:3])
    first, second, third = path.items.order_by("rank")
    PathItem.objects.filter(pk=first.pk).update(rank=10)
    PathItem.objects.filter(pk=second.pk).update(rank=11)
    services.path_item_move(path=path, item_id=third.pk, after_id=first.pk)
    assert _titles(path) == ["Cursus 0", "Cursus 2", "Cursus 1"]
    ranks = sorted(path.items.values_list("rank", flat=True))
    assert min(b - a for a, b in itertools.pairwise(ranks)) >= services.RANK_GAP


def test_a_move_naming_a_removed_item_gets_the_current_order_and_loses_nothing(
    client, owner, courses
):
    path = _path_with(owner, courses[:3])
    first, second, third = path.items.order_by("rank")
    client.force_login(owner)
    services.path_item_remove(path=path, item_id=second.pk)  # someone else, a moment ago
    response = client.post(
        f"/leerpaden/{path.pk}/items/{first.pk}/verplaatsen/",
        {"na": second.pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409
    assert json.loads(response.content)["order"] == [first.pk, third.pk]
    assert "ondertussen veranderd" in json.loads(response.content)["message"]
    assert path.items.count() == 2
    # Moves that both still make sense both survive.
    ok = client.post(
        f"/leerpaden/{path.pk}/items/{third.pk}/verplaatsen/",
        {"na": ""},
        HTTP_ACCEPT="application/json",
    )
    assert ok.status_code == 200 and json.loads(ok.content)["order"] == [third.pk, first.pk]


def test_keyboard_steps_move_one_place(client, owner, courses):
    path = _path_with(owner, courses[:3])
    first, _second, third = path.items.order_by("rank")
    client.force_login(owner)
    response = client.post(f"/leerpaden/{path.pk}/items/{third.pk}/verplaatsen/", {"stap": "-1"})
    assert response.status_code == 302
    assert _titles(path) == ["Cursus 0", "Cursus 2", "Cursus 1"]
    client.post(f"/leerpaden/{path.pk}/items/{first.pk}/verplaatsen/", {"stap": "-1"})
    assert _titles(path) == ["Cursus 0", "Cursus 2", "Cursus 1"]  # already first
    assert (
        client.post(
            f"/leerpaden/{path.pk}/items/{first.pk}/verplaatsen/", {"stap": "7"}
        ).status_code
        == 400
    )


@pytest.mark.parametrize("who", ["other", "anonymous"])
def test_a_private_path_does_not_exist_for_anyone_else(client, owner, courses, who):
    path = _path_with(owner, courses[:2])
    item = path.items.first()
    if who == "other":
        client.force_login(learner_with_profile())
    calls = [
        ("get", f"/leerpaden/{path.pk}/", {}),
        ("post", f"/leerpaden/{path.pk}/bewerken/", {"title": "Van mij"}),
        ("post", f"/leerpaden/{path.pk}/verwijderen/", {}),
        ("post", f"/leerpaden/{path.pk}/items/", {"cursus": courses[3].pk}),
        ("post", f"/leerpaden/{path.pk}/items/{item.pk}/verwijderen/", {}),
        ("post", f"/leerpaden/{path.pk}/items/{item.pk}/verplaatsen/", {"na": ""}),
    ]
    for method, url, data in calls:
        response = getattr(client, method)(url, data)
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 404, url
    path.refresh_from_db()
    assert path.title == "Wondzorg opfrissen" and path.items.count() == 2


def test_a_public_path_can_be_read_but_not_changed_by_others(client, owner, courses):
    path = _path_with(owner, courses[:2])
    services.path_update(path=path, title=path.title, description="", visibility="public")
    client.force_login(learner_with_profile())
    page = client.get(f"/leerpaden/{path.pk}/")
    assert page.status_code == 200 and "Cursus 0" in page.text
    assert "verplaatsen" not in page.text  # no controls for a reader
    assert client.post(f"/leerpaden/{path.pk}/bewerken/", {"title": "x"}).status_code == 404


def test_titles_and_descriptions_are_escaped(client, owner):
    payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    path = services.path_create(owner=owner, title=payload[:120], description=payload)
    client.force_login(owner)
    for url in ("/leerpaden/", f"/leerpaden/{path.pk}/"):
        text = client.get(url).text
        assert "<script>alert(1)" not in text and "<img src=x" not in text
        assert "&lt;script&gt;" in text


@pytest.mark.slow
def test_the_path_page_runs_the_same_queries_for_5_and_120_items(client, owner):
    from lms.demo.synthetic import synthetic_catalog_create

    made = synthetic_catalog_create(courses=120, episodes_per_course=1, colleagues=0, history=0)
    path = services.path_create(owner=owner, title="Veel")
    client.force_login(owner)

    def measure() -> int:
        client.get(f"/leerpaden/{path.pk}/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/leerpaden/{path.pk}/").status_code == 200
        return len(queries)

    PathItem.objects.bulk_create(
        PathItem(path=path, course_id=pk, rank=(n + 1) * services.RANK_GAP, added_by=owner)
        for n, pk in enumerate(made.course_ids[:5])
    )
    with_5 = measure()
    PathItem.objects.bulk_create(
        PathItem(path=path, course_id=pk, rank=(n + 6) * services.RANK_GAP, added_by=owner)
        for n, pk in enumerate(made.course_ids[5:])
    )
    assert measure() == with_5


def test_the_path_page_shows_progress_time_left_and_points_per_register(client, owner):
    from datetime import date

    from tests.factories import progress_record

    done = course_publish(
        title="Klaar",
        episodes=["A"],
        duration_minutes=10,
        accreditations=[("venvn", 2, date(2099, 1, 1))],
    )
    half = course_publish(
        title="Half",
        episodes=["B"],
        duration_minutes=30,
        accreditations=[("venvn", 1.5, date(2099, 1, 1)), ("rgs", 4, date(2099, 1, 1))],
    )
    path = _path_with(owner, [done, half])
    progress_record(user=owner, course=done, share=1.0)
    progress_record(user=owner, course=half, share=0.5)
    client.force_login(owner)
    text = client.get(f"/leerpaden/{path.pk}/").text
    assert "1 van 2 klaar" in text
    assert "30 minuten over" in text
    assert (
        "<strong>3,5</strong> V&amp;VN Kwaliteitsregister" in text
    )  # only the learner's registers
    assert "RGS" not in text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_going_back_after_adding_stays_on_this_site(client, owner, courses, target):
    path = _path_with(owner, courses[:1])
    client.force_login(owner)
    response = client.post(
        f"/leerpaden/{path.pk}/items/", {"cursus": courses[1].pk, "next": target}
    )
    assert response.status_code == 302 and response["Location"] == f"/leerpaden/{path.pk}/"


@pytest.mark.django_db(transaction=True)
def test_two_people_reordering_at_the_same_moment_lose_nothing(migrated_data):
    """Two collaborators move different items at once: both moves survive, in some order."""
    import threading

    if connection.vendor != "postgresql":
        pytest.skip("needs a database that runs transactions side by side")
    owner = learner_with_profile()
    courses = [course_publish(title=f"Cursus {n}") for n in range(6)]
    path = _path_with(owner, courses)
    items = list(path.items.order_by("rank").values_list("pk", flat=True))
    barrier = threading.Barrier(2)
    errors = []

    def move(item_id, after_id):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.path_item_move(path=path, item_id=item_id, after_id=after_id)
        except Exception as error:
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=move, args=(items[5], None)),
        threading.Thread(target=move, args=(items[0], items[3])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    order = services.path_order(path)
    assert sorted(order) == sorted(items)  # nothing lost
    assert order[0] == items[5]
    assert order.index(items[0]) == order.index(items[3]) + 1


def test_the_library_sorts_by_what_was_played_last(client, owner, courses):
    older = _path_with(owner, courses[:1])
    newer = services.path_create(owner=owner, title="Zojuist gemaakt")
    services.path_item_add(path=newer, actor=owner, course_id=courses[1].pk)
    client.force_login(owner)
    item = older.items.get()
    response = client.get(f"/leerpaden/{older.pk}/items/{item.pk}/openen/")
    assert response.status_code == 302 and response["Location"] == courses[0].url

    def order(sort):
        text = client.get("/leerpaden/", {"sorteer": sort}).text
        tile = '<h3 class="path-tile__title">{}</h3>'
        return text.index(tile.format("Wondzorg opfrissen")) < text.index(
            tile.format("Zojuist gemaakt")
        )

    assert order("afgespeeld") is True  # played, so first
    assert order("gewijzigd") is False  # the newer path changed last
    assert order("titel") is True  # "Wondzorg …" before "Zojuist …"
    assert client.get("/leerpaden/", {"sorteer": "'; drop"}).status_code == 200
    stranger = learner_with_profile()
    client.force_login(stranger)
    assert client.get(f"/leerpaden/{older.pk}/items/{item.pk}/openen/").status_code == 404
