"""Paths Leerstroom makes for each learner and refreshes every night."""

from datetime import date

import pytest
from django.utils import timezone

from catalog.models import CoursePage
from playlists.made_for_you import made_for_you_refresh
from playlists.models import LearningPath
from playlists.tasks import made_for_you_schedule_task
from tests.factories import course_publish, learner_with_profile, progress_record

pytestmark = pytest.mark.django_db
FAR = date(2099, 1, 1)


@pytest.fixture(scope="module")
def _catalog_ids(module_rows):
    """Six courses made once for this module; each test gets them fresh from the database."""
    return module_rows(lambda: {key: course.pk for key, course in _catalog_create().items()})


@pytest.fixture
def catalog(_catalog_ids):
    return {key: CoursePage.objects.get(pk=pk) for key, pk in _catalog_ids.items()}


def _catalog_create() -> dict:
    return {
        points: course_publish(
            title=f"{points} punten",
            episodes=["Deel 1"],
            accreditations=[("venvn", points, FAR)],
            tags={"competencies": ["communicatie" if points % 2 else "kennis-en-wetenschap"]},
        )
        for points in (1, 2, 3, 4)
    } | {
        "rgs": course_publish(title="Alleen RGS", accreditations=[("rgs", 8, FAR)]),
        "medisch": course_publish(
            title="Medisch", episodes=["Deel"], tags={"competencies": ["medisch-handelen"]}
        ),
    }


def _titles(path) -> list[str]:
    return [item.course.title for item in path.items.select_related("course").order_by("rank")]


def test_complete_your_accreditation_lists_unwatched_courses_by_points(catalog):
    learner = learner_with_profile()  # in the V&VN register
    progress_record(user=learner, course=catalog[4], share=0.3)
    catalog[2].unpublish()
    made_for_you_refresh(user_id=learner.pk)
    path = LearningPath.objects.get(owner=learner, generator="accreditatie-aanvullen")
    assert path.title == "Vul je accreditatie aan"
    assert _titles(path) == ["3 punten", "1 punten"]


def test_beyond_your_comfort_zone_avoids_the_roles_watched_most(catalog):
    learner = learner_with_profile()
    progress_record(user=learner, course=catalog["medisch"], share=0.5)
    made_for_you_refresh(user_id=learner.pk)
    path = LearningPath.objects.get(owner=learner, generator="buiten-je-comfortzone")
    assert path.items.exists() and "Medisch" not in _titles(path)


def test_a_refresh_is_idempotent_and_follows_what_the_learner_watched(catalog):
    learner = learner_with_profile()
    made_for_you_refresh(user_id=learner.pk)
    path = LearningPath.objects.get(owner=learner, generator="accreditatie-aanvullen")
    first = list(path.items.values_list("pk", "course_id"))
    made_for_you_refresh(user_id=learner.pk)
    assert list(path.items.values_list("pk", "course_id")) == first  # nothing rewritten
    assert (
        LearningPath.objects.filter(owner=learner, generator="accreditatie-aanvullen").count() == 1
    )
    progress_record(user=learner, course=catalog[4], share=1.0)
    made_for_you_refresh(user_id=learner.pk)
    assert "4 punten" not in _titles(path)


def test_a_made_path_is_read_only_but_can_be_copied(client, catalog):
    learner = learner_with_profile()
    made_for_you_refresh(user_id=learner.pk)
    path = LearningPath.objects.get(owner=learner, generator="accreditatie-aanvullen")
    item = path.items.first()
    client.force_login(learner)
    page = client.get(f"/leerpaden/{path.pk}/")
    assert page.status_code == 200 and "Voor jou gemaakt door Leerstroom" in page.text
    assert (
        client.post(f"/leerpaden/{path.pk}/items/{item.pk}/verplaatsen/", {"na": ""}).status_code
        == 404
    )
    assert (
        client.post(f"/leerpaden/{path.pk}/items/", {"cursus": catalog["rgs"].pk}).status_code
        == 404
    )
    menu = client.get("/leerpaden/toevoegen/", {"cursus": catalog[1].pk}, HTTP_HX_REQUEST="true")
    assert "Vul je accreditatie aan" not in menu.text
    assert "Voor jou gemaakt" in client.get("/leerpaden/").text
    copy = client.post(f"/leerpaden/{path.pk}/kopie/")
    assert copy.status_code == 302
    assert LearningPath.objects.filter(owner=learner, generator="").count() == 1
    client.force_login(learner_with_profile())
    assert client.get(f"/leerpaden/{path.pk}/").status_code == 404


def test_the_nightly_task_refreshes_learners_who_were_active(catalog):
    active, idle = learner_with_profile(), learner_with_profile()
    active.last_login = timezone.now()
    active.save()
    idle.last_login = timezone.now() - timezone.timedelta(days=200)
    idle.save()
    assert made_for_you_schedule_task() == 1
    assert LearningPath.objects.filter(owner=active).exclude(generator="").count() == 2
    assert not LearningPath.objects.filter(owner=idle).exists()
