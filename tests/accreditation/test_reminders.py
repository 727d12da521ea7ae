"""Deadline reminder e-mails: each one once, only inside its window, even when run twice."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from accreditation.deadlines.reminders import deadline_reminders_send, reminder_due
from accreditation.models import DeadlineReminder
from accreditation.tasks import deadline_reminders_send_task
from accreditation.work_hours.services import big_decision_record
from tests.accreditation.factories import registration_make
from tests.factories import learner_with_profile

pytestmark = pytest.mark.django_db
DEADLINE = date(2030, 6, 30)


@pytest.mark.parametrize(
    ("days_before", "which"),
    [
        (400, None),
        (183, None),
        (182, "6m"),
        (100, "6m"),
        (85, "6m"),
        (84, "12w"),
        (43, "12w"),
        (42, "6w"),
        (1, "6w"),
        (0, None),
        (-5, None),
    ],
)
def test_each_day_falls_in_at_most_one_window(days_before, which):
    assert reminder_due(deadline=DEADLINE, on=DEADLINE - timedelta(days=days_before)) == which


@pytest.fixture
def registration():
    user = learner_with_profile()
    return registration_make(user=user, register_slug="venvn", start=date(2025, 7, 1), end=DEADLINE)


def _run(days_before: int) -> int:
    return deadline_reminders_send(on=DEADLINE - timedelta(days=days_before))


def test_the_three_reminders_go_out_once_each_over_the_months(registration):
    sent = [_run(days) for days in (200, 182, 181, 120, 84, 83, 42, 41, 10, 0, -3)]
    assert sent == [0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0]
    assert len(mail.outbox) == 3
    reminders = DeadlineReminder.objects.filter(registration=registration)
    assert sorted(reminders.values_list("which", flat=True)) == ["12w", "6m", "6w"]
    assert all(r.sent_at is not None and r.deadline == DEADLINE for r in reminders)


def test_running_the_same_day_twice_sends_once(registration):
    assert _run(100) == 1
    assert _run(100) == 0
    assert len(mail.outbox) == 1


def test_a_deadline_entered_late_gets_only_the_last_reminder(registration):
    assert _run(20) == 1
    assert DeadlineReminder.objects.get().which == "6w"
    assert _run(19) == 0


def test_a_moved_deadline_is_reminded_again(registration):
    _run(30)
    registration.period_end = DEADLINE + timedelta(days=365 * 5)
    registration.save()
    later = registration.period_end
    assert deadline_reminders_send(on=later - timedelta(days=180)) == 1
    assert DeadlineReminder.objects.count() == 2


def test_the_e_mail_is_dutch_with_the_standing_and_a_link(registration, settings):
    settings.SITE_URL = "https://leerstroom.example"
    _run(100)
    message = mail.outbox[0]
    assert message.to == [registration.user.email]
    assert "V&VN" in message.subject and "30 juni 2030" in message.subject
    assert "https://leerstroom.example/accreditatie/" in message.body
    assert "184" in message.body  # the requirement, from the learner's standing
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'href="https://leerstroom.example/accreditatie/"' in html


def test_a_failed_send_is_tried_again_on_the_next_run(registration):
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")
    ):
        assert _run(100) == 0
    assert not DeadlineReminder.objects.exists()
    assert _run(99) == 1


def test_inactive_learners_and_open_ended_registrations_get_nothing(registration):
    other = learner_with_profile()
    registration_make(user=other, register_slug="venvn", start=date(2025, 7, 1), end=DEADLINE)
    other.is_active = False
    other.save()
    assert _run(100) == 1  # the active learner's only; the BIG registration has no deadline


def test_the_daily_task_uses_today_and_can_run_twice():
    user = learner_with_profile()
    big_decision_record(user=user, decided_on=timezone.localdate() - timedelta(days=5 * 365 - 30))
    assert deadline_reminders_send_task.delay().get() == 1
    assert deadline_reminders_send_task.delay().get() == 0
    assert len(mail.outbox) == 1
    assert "BIG" in mail.outbox[0].subject


def test_a_deadline_days_away_is_counted_in_days(registration):
    _run(3)
    assert "30 juni 2030, over 3 dagen." in mail.outbox[0].body
