"""An on-demand course is published only when learners can finish it, and editors see the live
courses that cannot be finished, with the reasons."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from catalog.models import EpisodePage
from playback.models import Video
from playback.services.finishable import courses_unfinishable, page_publish_blockers
from playback.wagtail_hooks import refuse_unfinishable_course
from tests.factories import UserFactory, course_publish

pytestmark = pytest.mark.django_db


def _course_with(*episodes):
    """A live course with live episodes given as (title, required, video state or None)."""
    course = course_publish(title="Wondzorg")
    for title, required, state in episodes:
        video = Video.objects.create(title=title, state=state, duration=60) if state else None
        episode = EpisodePage(title=title, required=required, video=video)
        course.add_child(instance=episode)
        episode.save_revision().publish()
    return course


def _request():
    request = RequestFactory().post("/admin/pages/")
    request.user = UserFactory(is_staff=True)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize(
    "episodes, reasons",
    [
        ((("Intro", True, Video.State.READY),), []),
        ((("Intro", True, Video.State.READY), ("Extra", False, None)), []),
        ((), ["De cursus heeft nog geen gepubliceerde aflevering."]),
        ((("Intro", True, None),), ["De verplichte aflevering ‘Intro’ heeft geen video."]),
        (
            (("Intro", True, Video.State.TRANSCODING),),
            [
                "De video van de verplichte aflevering ‘Intro’ is nog niet klaar "
                "(Wordt getranscodeerd)."
            ],
        ),
        (
            (("Intro", True, Video.State.FAILED),),
            [
                "De video van de verplichte aflevering ‘Intro’ kon niet klaargemaakt worden: "
                "upload hem opnieuw of kies een andere."
            ],
        ),
    ],
)
def test_a_course_is_finishable_only_with_every_required_video_ready(episodes, reasons):
    course = _course_with(*episodes)
    assert page_publish_blockers(page=course) == reasons
    flagged = {c.course_id: list(c.reasons) for c in courses_unfinishable()}
    assert flagged.get(course.pk, []) == reasons


def test_publishing_a_course_that_cannot_be_finished_is_refused_with_the_reason():
    course = _course_with(("Intro", True, Video.State.TRANSCODING))
    request = _request()
    response = refuse_unfinishable_course(request, course)
    assert response.status_code == 302 and response.url.endswith(f"/pages/{course.pk}/edit/")
    (message,) = [str(m) for m in get_messages(request)]
    assert message.startswith("Opgeslagen als concept, niet gepubliceerd")
    assert "‘Intro’ is nog niet klaar" in message
    course.refresh_from_db()
    assert course.live  # the published version stays; only this revision waits


def test_a_required_episode_without_a_ready_video_is_not_published_into_a_live_course():
    course = _course_with(("Intro", True, Video.State.READY))
    draft = EpisodePage(title="Casus", required=True, live=False)
    course.add_child(instance=draft)
    assert refuse_unfinishable_course(_request(), draft) is not None
    optional = EpisodePage(title="Verdieping", required=False, live=False)
    course.add_child(instance=optional)
    assert refuse_unfinishable_course(_request(), optional) is None


def test_editors_see_live_courses_that_cannot_be_finished_on_the_admin_home(client):
    _course_with(("Intro", True, Video.State.FAILED))
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get("/admin/")
    assert "Gepubliceerde cursussen die niet af te ronden zijn" in response.text
    assert "Wondzorg" in response.text and "kon niet klaargemaakt worden" in response.text
