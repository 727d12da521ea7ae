"""What other apps read: shortfalls per register and the courses that fill them."""

from datetime import date

import pytest

from accreditation import api
from accreditation.models import ActivityCategory, CourseAccreditation, Register, Requirement
from tests.accreditation.factories import awards_make, registration_make
from tests.factories import UserFactory, course_publish

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2029, 12, 31)
ON = date(2026, 6, 1)


def test_shortfalls_name_the_points_needed_and_the_categories_that_count():
    user = UserFactory()
    registration_make(user=user, register_slug="venvn", start=START, end=END)
    registration_make(user=user, register_slug="napa", start=START, end=END)
    awards_make(user=user, register_slug="venvn", earned_on=ON, points={"overig": 150})
    awards_make(user=user, register_slug="napa", earned_on=ON, points={"e-learning": 120})
    shortfalls = {s.register: s for s in api.register_shortfalls(user_id=user.pk, on=ON)}
    accredited = ActivityCategory.objects.get(slug="geaccrediteerd").pk
    e_learning = ActivityCategory.objects.get(slug="e-learning").pk
    # V&VN: 150 of 184 but no accredited points: 80 accredited needed, and they count for both.
    assert shortfalls["V&VN Kwaliteitsregister"].points_needed == 80
    assert shortfalls["V&VN Kwaliteitsregister"].category_ids == {accredited}
    # NAPA: only 100 of the 120 online points count; anything but online non-live fills it.
    assert shortfalls["NAPA"].points_needed == 100
    assert e_learning not in shortfalls["NAPA"].category_ids
    assert accredited in shortfalls["NAPA"].category_ids


def test_courses_for_shortfalls_skip_categories_that_no_longer_count():
    user = UserFactory()
    registration_make(user=user, register_slug="napa", start=START, end=END)
    awards_make(user=user, register_slug="napa", earned_on=ON, points={"e-learning": 120})
    online = course_publish(title="Online", accreditations=[("napa", 8, date(2030, 1, 1))])
    classroom = course_publish(title="Klassikaal", accreditations=[("napa", 4, date(2030, 1, 1))])
    CourseAccreditation.objects.filter(course=online).update(
        category=ActivityCategory.objects.get(slug="e-learning")
    )
    shortfalls = api.register_shortfalls(user_id=user.pk, on=ON)
    assert api.course_ids_for_shortfalls(shortfalls=shortfalls, on=ON, limit=10) == [classroom.pk]


def test_a_changed_requirement_is_read_at_once():
    user = UserFactory()
    registration_make(user=user, register_slug="nvda-kabiz", start=START, end=END)
    [before] = api.register_evaluations(user_id=user.pk, on=ON)
    requirement = Requirement.objects.get(register=Register.objects.get(slug="nvda-kabiz"))
    requirement.total_points = 120
    requirement.save()
    [after] = api.register_evaluations(user_id=user.pk, on=ON)
    assert (before.required, after.required) == (100, 120)


def test_a_learner_without_registers_has_no_evaluations():
    assert api.register_evaluations(user_id=UserFactory().pk, on=ON) == ()
    assert api.register_shortfalls(user_id=UserFactory().pk, on=ON) == []
