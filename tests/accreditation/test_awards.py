"""Course completions become award entries, once per register, however often reported."""

import threading
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from accreditation import api
from accreditation.models import LedgerEntry, Register
from tests.accreditation.factories import registration_make
from tests.factories import course_publish, learner_with_profile

FAR = date(2030, 12, 31)
COMPLETED_AT = timezone.make_aware(datetime(2026, 3, 2, 21, 15))


def _learner_in_two_registers():
    user = learner_with_profile(big_number="19012345601")  # V&VN and BIG
    registration_make(
        user=user, register_slug="napa", start=date(2025, 1, 1), end=date(2029, 12, 31)
    )
    return user


def _course():
    return course_publish(
        title="Wondzorg bij ouderen",
        episodes=["Deel 1"],
        accreditations=[("venvn", 3, FAR), ("napa", 2.5, FAR), ("rgs", 4, FAR)],
    )


def _awards(user) -> dict[str, Decimal]:
    return dict(
        LedgerEntry.objects.filter(user=user, kind=LedgerEntry.Kind.AWARD).values_list(
            "register__slug", "points"
        )
    )


@pytest.mark.django_db
def test_a_completion_awards_points_in_each_register_the_learner_is_in():
    user, course = _learner_in_two_registers(), _course()
    api.course_completed(user_id=user.pk, course_id=course.pk, completed_at=COMPLETED_AT)
    assert _awards(user) == {"venvn": Decimal(3), "napa": Decimal("2.5")}
    entry = LedgerEntry.objects.get(user=user, register__slug="venvn")
    assert (entry.course_id, entry.activity_id, entry.title) == (
        course.pk,
        "T-venvn",
        "Wondzorg bij ouderen",
    )
    assert entry.earned_on == date(2026, 3, 2)
    assert entry.category.slug == "geaccrediteerd"


@pytest.mark.django_db
def test_only_accreditations_valid_on_the_completion_day_count():
    user = _learner_in_two_registers()
    course = course_publish(title="Verlopen", accreditations=[("venvn", 3, date(2026, 3, 1))])
    api.course_completed(user_id=user.pk, course_id=course.pk, completed_at=COMPLETED_AT)
    assert _awards(user) == {}


@pytest.mark.django_db
def test_the_same_completion_reported_50_times_gives_one_award_per_register():
    user, course = _learner_in_two_registers(), _course()
    for _ in range(50):
        api.course_completed(user_id=user.pk, course_id=course.pk, completed_at=COMPLETED_AT)
    assert LedgerEntry.objects.filter(user=user).count() == 2
    assert _awards(user) == {"venvn": Decimal(3), "napa": Decimal("2.5")}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers, so threads cannot race there; runs on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_50_concurrent_reports_of_one_completion_give_one_award_per_register(migrated_data):
    from accreditation.models import ActivityCategory, CategoryRule, Requirement, WorkHourNorm
    from accreditation.rules.reference_rules import requirements_load, work_hour_norms_load
    from catalog.models import Profession

    requirements_load(Register, Requirement, CategoryRule, ActivityCategory, Profession)
    work_hour_norms_load(Profession, WorkHourNorm)
    user, course = _learner_in_two_registers(), _course()
    reporters = 50
    start = threading.Barrier(reporters)
    errors = []

    def report():
        try:
            start.wait()
            api.course_completed(user_id=user.pk, course_id=course.pk, completed_at=COMPLETED_AT)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=report) for _ in range(reporters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert _awards(user) == {"venvn": Decimal(3), "napa": Decimal("2.5")}
    assert LedgerEntry.objects.filter(user=user).count() == 2
