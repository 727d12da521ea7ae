"""Registering for a session: places and a waiting list that moves up by itself, deadlines,
the invitation (iCalendar, in the e-mail and the calendar feed), the reminder the day before
and the way to a provider that registers learners itself."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from live.models import ProviderReferral, SessionRegistration
from live.registration import registration_cancel, session_register
from live.reminders import session_reminders_send
from lms.ical import ical_utc
from tests.factories import UserFactory, learner_with_profile

from .factories import classroom_course, session_make

pytestmark = pytest.mark.django_db

Status = SessionRegistration.Status


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def _invitation(message) -> tuple[str, list[str]]:
    ((name, content, mimetype),) = message.attachments
    assert name.endswith(".ics")
    return mimetype, _unfold(content)


@pytest.fixture
def session(django_capture_on_commit_callbacks):
    return session_make(course=classroom_course(), capacity=2)


def _register(session, user, capture):
    with capture(execute=True):
        return session_register(session_id=session.pk, user=user)


def _cancel(session, user, capture):
    with capture(execute=True):
        return registration_cancel(session_id=session.pk, user=user)


def test_registering_gives_a_place_and_an_invitation(session, django_capture_on_commit_callbacks):
    learner = learner_with_profile()
    registration = _register(session, learner, django_capture_on_commit_callbacks)
    assert registration.status == Status.REGISTERED

    (message,) = mail.outbox
    assert message.to == [learner.email]
    assert "Je bent ingeschreven" in message.subject
    mimetype, lines = _invitation(message)
    assert mimetype.startswith("text/calendar") and "method=REQUEST" in mimetype
    assert "METHOD:REQUEST" in lines
    assert f"UID:registration-{registration.uid}@leerstroom" in lines
    assert "SEQUENCE:0" in lines
    assert f"DTSTART:{ical_utc(session.starts_at)}" in lines
    assert f"DTEND:{ical_utc(session.ends_at)}" in lines
    assert ical_utc(session.starts_at).endswith("Z")  # UTC: no VTIMEZONE needed
    assert "STATUS:CONFIRMED" in lines
    assert any(line.startswith("ORGANIZER;CN=") for line in lines)
    assert any(line.startswith("ATTENDEE;") and line.endswith(learner.email) for line in lines)
    assert any("Catharijnesingel 10" in line for line in lines if line.startswith("LOCATION:"))


def test_registering_twice_is_refused_and_counts_once(session, django_capture_on_commit_callbacks):
    learner = learner_with_profile()
    _register(session, learner, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as refused:
        _register(session, learner, django_capture_on_commit_callbacks)
    assert refused.value.code == "registered_twice"
    assert session.registrations.count() == 1
    assert len(mail.outbox) == 1


def test_a_full_session_puts_learners_on_the_waiting_list_which_moves_up_on_a_cancellation(
    session, django_capture_on_commit_callbacks
):
    first, second, third, fourth = (learner_with_profile() for _ in range(4))
    for learner in (first, second):
        assert _register(session, learner, django_capture_on_commit_callbacks).status == (
            Status.REGISTERED
        )
    third_place = _register(session, third, django_capture_on_commit_callbacks)
    fourth_place = _register(session, fourth, django_capture_on_commit_callbacks)
    assert (third_place.status, fourth_place.status) == (Status.WAITING, Status.WAITING)
    waiting_mail = mail.outbox[-1]
    assert "wachtlijst" in waiting_mail.subject and not waiting_mail.attachments
    mail.outbox.clear()

    cancellation = _cancel(session, first, django_capture_on_commit_callbacks)
    assert [r.user for r in cancellation.promoted] == [third]  # first come, first served
    statuses = dict(session.registrations.values_list("user_id", "status"))
    assert statuses == {
        first.pk: Status.CANCELLED,
        second.pk: Status.REGISTERED,
        third.pk: Status.REGISTERED,
        fourth.pk: Status.WAITING,
    }
    cancel_mail, promoted_mail = sorted(mail.outbox, key=lambda m: m.to != [first.email])
    _mimetype, cancel_lines = _invitation(cancel_mail)
    assert "METHOD:CANCEL" in cancel_lines and "STATUS:CANCELLED" in cancel_lines
    uid = SessionRegistration.objects.get(user=first).uid
    assert f"UID:registration-{uid}@leerstroom" in cancel_lines and "SEQUENCE:1" in cancel_lines
    assert promoted_mail.to == [third.email] and "plek vrijgekomen" in promoted_mail.subject
    assert "METHOD:REQUEST" in _invitation(promoted_mail)[1]


def test_deadlines_for_registering_and_cancelling(django_capture_on_commit_callbacks):
    now = timezone.now()
    session = session_make(
        course=classroom_course(),
        starts_at=now + timedelta(days=2),
        registration_closes_at=now + timedelta(days=1),
        cancellation_deadline=now - timedelta(hours=1),
    )
    learner, waiting, late = learner_with_profile(), learner_with_profile(), learner_with_profile()
    _register(session, learner, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as refused:
        _cancel(session, learner, django_capture_on_commit_callbacks)
    assert refused.value.code == "cancel_deadline"
    assert session.registrations.get(user=learner).status == Status.REGISTERED

    _register(session, UserFactory(), django_capture_on_commit_callbacks)  # the second place
    assert _register(session, waiting, django_capture_on_commit_callbacks).status == Status.WAITING
    _cancel(session, waiting, django_capture_on_commit_callbacks)  # leaving the list stays open

    with pytest.raises(ValidationError) as closed:
        session_register(session_id=session.pk, user=late, now=now + timedelta(days=1, minutes=1))
    assert closed.value.code == "registration_closed"


def test_cancelling_without_a_registration_is_refused(session):
    with pytest.raises(ValidationError) as refused:
        registration_cancel(session_id=session.pk, user=learner_with_profile())
    assert refused.value.code == "not_registered"


def test_registering_again_after_cancelling_keeps_the_invitation_uid(
    session, django_capture_on_commit_callbacks
):
    learner = learner_with_profile()
    first = _register(session, learner, django_capture_on_commit_callbacks)
    _cancel(session, learner, django_capture_on_commit_callbacks)
    again = _register(session, learner, django_capture_on_commit_callbacks)
    assert again.pk == first.pk and again.uid == first.uid and again.sequence == 2
    assert "SEQUENCE:2" in _invitation(mail.outbox[-1])[1]


def test_the_calendar_feed_carries_the_sessions_with_a_place(
    client, session, django_capture_on_commit_callbacks
):
    learner = learner_with_profile()
    registration = _register(session, learner, django_capture_on_commit_callbacks)
    client.force_login(learner)
    client.post("/mijn-accreditatie/agenda/nieuwe-link/")
    token = learner.calendar_feed.token
    lines = _unfold(client.get(f"/mijn-accreditatie/agenda/{token}.ics").content.decode())
    assert f"UID:registration-{registration.uid}@leerstroom" in lines
    assert "METHOD:PUBLISH" in lines
    _cancel(session, learner, django_capture_on_commit_callbacks)
    lines = _unfold(client.get(f"/mijn-accreditatie/agenda/{token}.ics").content.decode())
    assert f"UID:registration-{registration.uid}@leerstroom" not in lines


def test_the_reminder_the_day_before_goes_out_once(django_capture_on_commit_callbacks):
    session = session_make(
        course=classroom_course(), starts_at=timezone.now() + timedelta(hours=20)
    )
    learner = learner_with_profile()
    registration = _register(session, learner, django_capture_on_commit_callbacks)
    SessionRegistration.objects.filter(pk=registration.pk).update(
        seat_since=timezone.now() - timedelta(days=3)
    )
    mail.outbox.clear()
    assert session_reminders_send() == 1
    assert session_reminders_send() == 0
    (reminder,) = mail.outbox
    assert reminder.subject.startswith("Morgen")


def test_a_provider_that_registers_itself_is_linked_and_the_click_recorded(client):
    session = session_make(
        course=classroom_course(), registration_url="https://aanbieder.example/inschrijven"
    )
    client.force_login(learner := learner_with_profile())
    response = client.get(f"/sessies/{session.pk}/aanbieder/")
    assert response.status_code == 302
    assert response["Location"] == "https://aanbieder.example/inschrijven"
    assert ProviderReferral.objects.get().user == learner
    with pytest.raises(ValidationError):
        session_register(session_id=session.pk, user=learner)


def test_the_buttons_say_what_happened_in_dutch(
    client, session, django_capture_on_commit_callbacks
):
    learner = learner_with_profile()
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/sessies/{session.pk}/inschrijven/", follow=True)
    assert "Je bent ingeschreven" in response.content.decode()
    response = client.post(f"/sessies/{session.pk}/inschrijven/", follow=True)
    assert "Je bent al ingeschreven voor deze sessie." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/sessies/{session.pk}/afmelden/", follow=True)
    assert "Je bent afgemeld" in response.content.decode()
    assert client.post("/sessies/999999/inschrijven/").status_code == 404


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers, so threads cannot race there; runs on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_learners_racing_for_the_last_place_never_both_get_it(migrated_data):
    session = session_make(course=classroom_course(), capacity=1)
    learners = [learner_with_profile() for _ in range(2)]
    start = threading.Barrier(len(learners))
    errors, statuses = [], []

    def register(user):
        try:
            start.wait(timeout=10)
            statuses.append(session_register(session_id=session.pk, user=user).status)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(user,)) for user in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(statuses) == [Status.REGISTERED, Status.WAITING]
    assert session.registrations.filter(status=Status.REGISTERED).count() == 1


def test_an_editor_adding_a_place_in_the_admin_moves_the_waiting_list_up(client):
    session = session_make(course=classroom_course(), capacity=1)
    session_register(session_id=session.pk, user=learner_with_profile())
    waiting = session_register(session_id=session.pk, user=learner_with_profile())
    assert waiting.status == Status.WAITING
    editor = learner_with_profile()
    editor.is_staff = editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    start = timezone.localtime(session.starts_at)
    response = client.post(
        f"/admin/snippets/live/livesession/edit/{session.pk}/",
        {
            "course": session.course_id,
            "starts_at": f"{start:%Y-%m-%d %H:%M}",
            "ends_at": f"{start + timedelta(hours=3):%Y-%m-%d %H:%M}",
            "capacity": "2",
            "rule": session.rule_id,
        },
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.REGISTERED
