"""What editors can enter for a course and its episodes, and what learners then see."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from accreditation.models import ActivityCategory, CourseAccreditation, Register
from catalog.models import Competency, CoursePage, EpisodePage, HomePage, Sponsor, Topic
from playback.models import Video
from tests.factories import UserFactory, learner_with_profile

pytestmark = pytest.mark.django_db


def _course(**fields) -> CoursePage:
    home = HomePage.objects.get()
    course = CoursePage(title=fields.pop("title", "Palliatieve zorg"), **fields)
    home.add_child(instance=course)
    course.save_revision().publish()
    return course


def _episode(course: CoursePage, title: str, seconds: float | None) -> EpisodePage:
    video = None
    if seconds is not None:
        video = Video.objects.create(title=title, state=Video.State.READY, duration=seconds)
    episode = EpisodePage(title=title, video=video)
    course.add_child(instance=episode)
    episode.save_revision().publish()
    return episode


def test_the_seven_canmeds_roles_and_the_activity_categories_are_seeded():
    assert Competency.objects.count() == 7
    assert "Communicatie" in set(Competency.objects.values_list("name", flat=True))
    assert ActivityCategory.objects.filter(slug="intercollegiale-toetsing").exists()


NEEDS_START = "Een webinar of klassikale cursus heeft een starttijd nodig."
NEEDS_ADDRESS = "Een klassikale cursus heeft een adres nodig."


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"format": "webinar"}, "starts_at", NEEDS_START),
        ({"format": "classroom", "starts_at": timezone.now()}, "address", NEEDS_ADDRESS),
        ({"price": Decimal("-5")}, "price", None),
    ],
)
def test_a_course_without_what_its_format_needs_is_refused(fields, field, message):
    course = CoursePage(title="Reanimatie", slug="reanimatie", **fields)
    with pytest.raises(ValidationError) as refused:
        course.full_clean()
    assert field in refused.value.message_dict
    if message:
        assert refused.value.message_dict[field] == [message]


def test_an_accreditation_needs_points_and_a_period_that_ends_after_it_starts():
    course = _course()
    accreditation = CourseAccreditation(
        course=course,
        register=Register.objects.get(slug="venvn"),
        category=ActivityCategory.objects.get(slug="geaccrediteerd"),
        points=Decimal("0"),
        valid_from=date(2026, 1, 1),
        valid_until=date(2025, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        accreditation.full_clean()
    assert set(refused.value.message_dict) == {"points", "valid_until"}


def test_the_course_length_is_the_sum_of_its_live_episodes():
    course = _course()
    _episode(course, "Pijn", 25 * 60 + 10)
    _episode(course, "Benauwdheid", 14 * 60)
    draft = EpisodePage(title="Nog niet klaar", live=False)
    course.add_child(instance=draft)
    course.refresh_from_db()
    course.save_revision().publish()
    course.refresh_from_db()
    assert course.duration_minutes == 40  # 39 min 10 s, rounded up


def test_the_course_page_shows_episodes_accreditation_and_sponsor_disclosure(client):
    sponsor = Sponsor.objects.create(name="Farma <b>BV</b>")
    course = _course(
        sponsor_disclosure="Farma BV betaalde de opnames; zij hadden geen invloed op de inhoud.",
        price=Decimal("49.00"),
    )
    course.sponsors.add(sponsor)
    course.competencies.add(Competency.objects.get(slug="communicatie"))
    course.topics.add(Topic.objects.create(name="Palliatieve zorg", slug="palliatieve-zorg"))
    course.save_revision().publish()
    today = timezone.localdate()
    CourseAccreditation.objects.create(
        course=course,
        register=Register.objects.get(slug="venvn"),
        category=ActivityCategory.objects.get(slug="geaccrediteerd"),
        points=Decimal("2.5"),
        activity_id="VVN-123456",
        valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=300),
    )
    CourseAccreditation.objects.create(  # expired: not shown
        course=course,
        register=Register.objects.get(slug="big"),
        category=ActivityCategory.objects.get(slug="geaccrediteerd"),
        points=Decimal("9"),
        valid_from=today - timedelta(days=800),
        valid_until=today - timedelta(days=1),
    )
    _episode(course, "Pijn", 600)

    response = client.get(course.url)
    assert response.status_code == 200
    text = response.text
    assert "Pijn" in text and "10 min" in text
    assert "2,5" in text and "VVN-123456" in text and "Geaccrediteerde nascholing" in text
    assert ">9<" not in text
    assert "geen invloed op de inhoud" in text
    assert "Communicatie" in text and "€ 49,00" in text


def _course_form(**overrides) -> dict:
    register = Register.objects.get(slug="venvn")
    category = ActivityCategory.objects.get(slug="geaccrediteerd")
    accreditation = {
        "register": register.pk,
        "points": "3",
        "category": category.pk,
        "activity_id": "A-77",
        "valid_from": "2026-01-01",
        "valid_until": "2027-12-31",
    }
    fields = {
        "title": "Ouderen met cognitieve stoornissen",
        "slug": "ouderen-cognitieve-stoornissen",
        "subtitle": "",
        "summary": "Signaleren en begeleiden.",
        "body": streamfield([("paragraph", rich_text("<p>Wat je leert.</p>"))]),
        "format": "on_demand",
        "language": "nl",
        "level": "basic",
        "price": "0",
        "duration_minutes": "0",
        "completion_percent": "90",
        "sponsor_disclosure": "",
        "speakers": inline_formset([]),
        "accreditations": inline_formset(
            [accreditation | overrides.get("accreditation", {})],
            initial=int("id" in overrides.pop("accreditation", {})),
        ),
    }
    return nested_form_data(fields | overrides)


def _admin_user(*groups: str):
    user = UserFactory(is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def test_an_editor_submits_a_course_with_its_accreditation_for_moderation(client):
    client.force_login(_admin_user("Editors"))
    url = reverse(
        "wagtailadmin_pages:add", args=("catalog", "coursepage", HomePage.objects.get().pk)
    )
    response = client.post(url, _course_form(**{"action-submit": "submit"}))
    assert response.status_code == 302
    course = CoursePage.objects.get(slug="ouderen-cognitieve-stoornissen")
    assert not course.live
    assert course.workflow_in_progress
    assert course.accreditations.get().points == Decimal("3")


def test_a_moderator_publishes_and_learners_find_the_course(client):
    client.force_login(_admin_user("Editors", "Moderators"))
    url = reverse(
        "wagtailadmin_pages:add", args=("catalog", "coursepage", HomePage.objects.get().pk)
    )
    # Without an episode to finish, publishing keeps the course a draft and says why.
    response = client.post(url, _course_form(**{"action-publish": "publish"}), follow=True)
    course = CoursePage.objects.get(slug="ouderen-cognitieve-stoornissen")
    assert not course.live
    assert "Opgeslagen als concept" in response.text
    assert "geen gepubliceerde aflevering" in response.text

    video = Video.objects.create(title="Signaleren", state=Video.State.READY, duration=600)
    episode = EpisodePage(title="Signaleren", video=video)
    course.add_child(instance=episode)
    episode.save_revision().publish()
    edit = reverse("wagtailadmin_pages:edit", args=(course.pk,))
    stored = {"id": course.accreditations.get().pk}
    response = client.post(
        edit, _course_form(accreditation=stored, **{"action-publish": "publish"})
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.live
    client.force_login(learner_with_profile())
    page = client.get(course.url)
    assert "Ouderen met cognitieve stoornissen" in page.text and "A-77" in page.text


def test_an_accreditation_without_points_is_refused_in_the_admin_with_the_reason(client):
    client.force_login(_admin_user("Editors", "Moderators"))
    url = reverse(
        "wagtailadmin_pages:add", args=("catalog", "coursepage", HomePage.objects.get().pk)
    )
    response = client.post(
        url, _course_form(accreditation={"points": ""}, **{"action-publish": "publish"})
    )
    assert response.status_code == 200
    assert not CoursePage.objects.filter(slug="ouderen-cognitieve-stoornissen").exists()
    errors = response.context["form"].formsets["accreditations"].errors
    assert errors[0]["points"] == ["Dit is een verplicht veld."]


def test_a_course_learns_its_length_when_an_episode_video_is_ready(
    django_capture_on_commit_callbacks,
):
    from playback.services.states import video_mark_ready

    course = _course()
    video = Video.objects.create(title="Pijn", state=Video.State.TRANSCODING, duration=None)
    episode = EpisodePage(title="Pijn", video=video)
    course.add_child(instance=episode)
    episode.save_revision().publish()
    assert CoursePage.objects.get(pk=course.pk).duration_minutes == 0

    Video.objects.filter(pk=video.pk).update(duration=12 * 60 + 1)
    video.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        video_mark_ready(video=video)
    assert CoursePage.objects.get(pk=course.pk).duration_minutes == 13
