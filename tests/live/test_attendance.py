"""Presence decides the points: the rule as data (present at least so much of the planned time,
answered enough checks), staff's marks in the room, minutes from the live player's heartbeats,
presence checks with a time limit, closing a session once, and the lists for the registers."""

import csv
import io
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accreditation.api import learner_named
from accreditation.models import Certificate, LedgerEntry
from accreditation.profiles.services import LearnerName, learner_name_save
from live.attendance import PresenceFacts, presence_decide, presence_explained, session_close
from live.exports import presence_csv_lines, presence_list_pdf
from live.models import Attendance, PresenceCheck, SessionRegistration
from live.presence import PresenceMark, door_check_in, presence_list_save
from live.presence_online import presence_beat, presence_check_answer, presence_check_open
from live.reference_data import CAMERA_RULE, CHECKS_RULE, ROOM_RULE
from live.registration import session_register
from tests.factories import learner_with_profile

from .factories import (
    classroom_course,
    presence_rule,
    session_make,
    webinar_course,
    webinar_session_make,
)

pytestmark = pytest.mark.django_db

Outcome = Attendance.Outcome


# --- The rule, on its own --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "facts", "met", "explained"),
    [
        (ROOM_RULE, PresenceFacts(180, 180), True, ["aanwezig 180 van 180 minuten"]),
        # 20 minutes late of 180: 160 < 162 (90 %)
        (ROOM_RULE, PresenceFacts(180, 160), False, ["aanwezig 160 van 180 minuten (162 nodig)"]),
        (ROOM_RULE, PresenceFacts(180, 165), True, ["aanwezig 165 van 180 minuten"]),
        (ROOM_RULE, PresenceFacts(180, 0), False, ["aanwezig 0 van 180 minuten (162 nodig)"]),
        (
            CHECKS_RULE,
            PresenceFacts(90, 88, 3, 2),
            True,
            ["aanwezig 88 van 90 minuten", "2 van 3 controles beantwoord"],
        ),
        (
            CHECKS_RULE,
            PresenceFacts(90, 90, 3, 1),
            False,
            ["aanwezig 90 van 90 minuten", "1 van 3 controles beantwoord (2 nodig)"],
        ),
        (
            CHECKS_RULE,
            PresenceFacts(90, 41, 3, 3),
            False,
            ["aanwezig 41 van 90 minuten (81 nodig)", "3 van 3 controles beantwoord"],
        ),
        # 2 of 2 held: both needed (66 % of 2 rounds up)
        (CHECKS_RULE, PresenceFacts(90, 90, 2, 1), False, None),
    ],
)
def test_the_rule_decides(rule, facts, met, explained):
    rule = presence_rule(rule)
    assert presence_decide(rule=rule, facts=facts).met is met
    if explained is not None:
        assert presence_explained(rule=rule, facts=facts) == explained


# --- In the room -------------------------------------------------------------------------------


def _started_classroom_session(*, capacity=4, minutes=180):
    course = classroom_course()
    session = session_make(
        course=course,
        capacity=capacity,
        minutes=minutes,
        starts_at=timezone.now() + timedelta(days=3),
    )
    return course, session


def _places(session, count):
    learners = [learner_with_profile() for _ in range(count)]
    registrations = [session_register(session_id=session.pk, user=user) for user in learners]
    return learners, registrations


def _at(session, minutes: float):
    return session.starts_at + timedelta(minutes=minutes)


def _awards(session):
    return dict(
        LedgerEntry.objects.filter(session_id=session.pk, kind=LedgerEntry.Kind.AWARD).values_list(
            "user_id", "points"
        )
    )


def test_staff_marks_the_room_and_closing_awards_those_present_once():
    course, session = _started_classroom_session()
    (present, late, left_early, absent), registrations = _places(session, 4)
    marks = [
        PresenceMark(registrations[0].pk, True),
        PresenceMark(registrations[1].pk, True, late_minutes=30),
        PresenceMark(registrations[2].pk, True, left_early_minutes=10),
        PresenceMark(registrations[3].pk, False),
    ]
    assert presence_list_save(session_id=session.pk, marks=marks, by=None, now=_at(session, 5)) == 4

    session_close(session_id=session.pk, now=_at(session, 200))
    assert _awards(session) == {present.pk: Decimal(4), left_early.pk: Decimal(4)}
    outcomes = dict(
        Attendance.objects.filter(registration__session=session).values_list(
            "registration__user_id", "outcome"
        )
    )
    assert outcomes == {
        present.pk: Outcome.MET,
        late.pk: Outcome.NOT_MET,
        left_early.pk: Outcome.MET,
        absent.pk: Outcome.NOT_MET,
    }
    award = LedgerEntry.objects.get(user=present, session_id=session.pk)
    assert (award.course_id, award.earned_on) == (course.pk, timezone.localdate(session.starts_at))

    with pytest.raises(ValidationError) as closed_twice:
        session_close(session_id=session.pk, now=_at(session, 300))
    assert closed_twice.value.code == "session_closed"
    assert "al afgesloten" in closed_twice.value.messages[0]
    assert LedgerEntry.objects.filter(session_id=session.pk).count() == 2


def test_a_course_given_twice_awards_once_per_session():
    course, first = _started_classroom_session()
    second = session_make(course=course, starts_at=first.starts_at + timedelta(days=30))
    learner = learner_with_profile()
    for session in (first, second):
        registration = session_register(session_id=session.pk, user=learner)
        presence_list_save(
            session_id=session.pk,
            marks=[PresenceMark(registration.pk, True)],
            by=None,
            now=_at(session, 0),
        )
        session_close(session_id=session.pk, now=_at(session, 181))
    awards = LedgerEntry.objects.filter(user=learner, course_id=course.pk)
    assert sorted(awards.values_list("session_id", flat=True)) == sorted([first.pk, second.pk])


def test_presence_for_someone_without_a_place_or_after_closing_is_refused():
    _course, session = _started_classroom_session(capacity=1)
    (_learner,), (registration,) = _places(session, 1)
    waiting = session_register(session_id=session.pk, user=learner_with_profile())
    assert waiting.status == SessionRegistration.Status.WAITING
    with pytest.raises(ValidationError) as refused:
        presence_list_save(
            session_id=session.pk,
            marks=[PresenceMark(waiting.pk, True)],
            by=None,
            now=_at(session, 1),
        )
    assert "niet ingeschreven" in refused.value.messages[0]
    assert not Attendance.objects.exists()  # all or nothing

    with pytest.raises(ValidationError):  # late and early the whole session
        presence_list_save(
            session_id=session.pk,
            marks=[PresenceMark(registration.pk, True, 100, 80)],
            by=None,
            now=_at(session, 1),
        )
    session_close(session_id=session.pk, now=_at(session, 181))
    with pytest.raises(ValidationError) as closed:
        presence_list_save(
            session_id=session.pk,
            marks=[PresenceMark(registration.pk, True)],
            by=None,
            now=_at(session, 200),
        )
    assert closed.value.code == "session_closed"


def test_the_door_code_marks_a_registered_learner_present_late_by_the_minutes_past_the_start():
    _course, session = _started_classroom_session()
    (learner, _stranger), _registrations = _places(session, 2)
    with pytest.raises(ValidationError) as early:
        door_check_in(session_id=session.pk, user=learner, now=_at(session, -120))
    assert early.value.code == "not_now"
    attendance = door_check_in(session_id=session.pk, user=learner, now=_at(session, 12.5))
    assert (attendance.present, attendance.late_minutes) == (True, 12)
    door_check_in(session_id=session.pk, user=learner, now=_at(session, 40))  # scanned again
    attendance.refresh_from_db()
    assert attendance.late_minutes == 12
    with pytest.raises(ValidationError) as refused:
        door_check_in(session_id=session.pk, user=learner_with_profile(), now=_at(session, 1))
    assert refused.value.code == "not_registered"


# --- Online --------------------------------------------------------------------------------


def _webinar(minutes=90):
    session = webinar_session_make(
        course=webinar_course(), starts_at=timezone.now() + timedelta(days=2), minutes=minutes
    )
    return session


def test_heartbeats_count_each_minute_once_and_only_during_the_session():
    session = _webinar()
    learner = learner_with_profile()
    session_register(session_id=session.pk, user=learner)
    for minute in (-5, 0, 0.2, 0.9, 1.1, 44, 89.9, 95):
        answer = presence_beat(session_id=session.pk, user=learner, now=_at(session, minute))
    assert (answer.minutes_online, answer.minutes_planned) == (4, 90)
    with pytest.raises(ValidationError) as refused:
        presence_beat(session_id=session.pk, user=learner_with_profile(), now=_at(session, 3))
    assert refused.value.code == "not_registered"


def test_a_check_is_answered_within_its_time_once():
    session = _webinar()
    learner = learner_with_profile()
    session_register(session_id=session.pk, user=learner)
    poll = presence_check_open(
        session_id=session.pk,
        kind=PresenceCheck.Kind.POLL,
        question="Welk middel schrijf je het vaakst voor?",
        options=["Amoxicilline", "Doxycycline"],
        opens_at=_at(session, 10),
        now=_at(session, 5),
    )
    before = presence_beat(session_id=session.pk, user=learner, now=_at(session, 9))
    assert before.check is None
    beat = presence_beat(session_id=session.pk, user=learner, now=_at(session, 10.5))
    assert beat.check.id == poll.pk and beat.check.options == ["Amoxicilline", "Doxycycline"]

    with pytest.raises(ValidationError) as no_option:
        presence_check_answer(check_id=poll.pk, user=learner, option=5, now=_at(session, 10.6))
    assert no_option.value.code == "no_option"
    presence_check_answer(check_id=poll.pk, user=learner, option=1, now=_at(session, 11))
    with pytest.raises(ValidationError) as twice:
        presence_check_answer(check_id=poll.pk, user=learner, option=0, now=_at(session, 11.2))
    assert twice.value.code == "answered_twice"
    assert presence_beat(session_id=session.pk, user=learner, now=_at(session, 11.5)).check is None

    late_learner = learner_with_profile()
    session_register(session_id=session.pk, user=late_learner)
    with pytest.raises(ValidationError) as late:
        presence_check_answer(
            check_id=poll.pk,
            user=late_learner,
            option=0,
            now=_at(session, 10) + timedelta(seconds=session.rule.check_seconds),
        )
    assert late.value.code == "too_late"
    assert "Te laat" in late.value.messages[0]
    assert poll.answers.count() == 1


def _watch(session, user, minutes):
    for minute in minutes:
        presence_beat(session_id=session.pk, user=user, now=_at(session, minute + 0.5))


def test_closing_a_webinar_applies_minutes_and_checks():
    session = _webinar()
    full, missed_checks, left_early = (learner_with_profile() for _ in range(3))
    for learner in (full, missed_checks, left_early):
        session_register(session_id=session.pk, user=learner)
    checks = [
        presence_check_open(
            session_id=session.pk,
            kind=PresenceCheck.Kind.STILL_WATCHING,
            opens_at=_at(session, minute),
            now=_at(session, 0),
        )
        for minute in (20, 50, 80)
    ]
    _watch(session, full, range(90))
    _watch(session, missed_checks, range(90))
    _watch(session, left_early, range(41))
    for check in checks:
        presence_check_answer(check_id=check.pk, user=full, now=check.opens_at)
    presence_check_answer(check_id=checks[0].pk, user=missed_checks, now=checks[0].opens_at)
    presence_check_answer(check_id=checks[0].pk, user=left_early, now=checks[0].opens_at)
    presence_check_answer(check_id=checks[1].pk, user=left_early, now=checks[1].opens_at)

    session_close(session_id=session.pk, now=_at(session, 95))
    assert _awards(session) == {full.pk: Decimal("1.5")}
    attendance = Attendance.objects.get(registration__user=left_early)
    assert (attendance.minutes_present, attendance.checks_answered, attendance.checks_held) == (
        41,
        2,
        3,
    )
    assert attendance.outcome == Outcome.NOT_MET


def test_a_camera_rule_allows_at_most_its_participants():
    rule = presence_rule(CAMERA_RULE)
    session = session_make(course=webinar_course(), capacity=20, rule=CAMERA_RULE)
    with pytest.raises(ValidationError) as refused:
        session.full_clean()
    assert "capacity" in refused.value.error_dict
    session.capacity = rule.max_participants
    session.full_clean()


# --- The lists for the registers -------------------------------------------------------------


def _closed_room_session():
    _course, session = _started_classroom_session()
    learners, registrations = _places(session, 2)
    first, second = learners
    first.first_name, first.last_name, first.initials = "Jan-Pieter", "Bakker", ""
    second.first_name, second.last_name, second.surname_prefix = "Anna", "Berg", "van den"
    for learner in learners:
        learner.save()
    presence_list_save(
        session_id=session.pk,
        marks=[
            PresenceMark(registrations[0].pk, True, 5),
            PresenceMark(registrations[1].pk, False),
        ],
        by=None,
        now=_at(session, 1),
    )
    session_close(session_id=session.pk, now=_at(session, 181))
    session.refresh_from_db()
    return session, learners


def test_the_csv_for_a_register_lists_those_awarded_in_its_columns():
    session, (first, _second) = _closed_room_session()
    register_id = LedgerEntry.objects.get(session_id=session.pk).register_id
    text = "".join(presence_csv_lines(session=session, register_id=register_id))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "Activiteit",
        "Datum",
        "Activiteitnummer",
        "Achternaam",
        "Voorletters",
        "Beroep",
        "BIG-nummer",
        "Register",
        "Lidnummer",
        "Punten",
        "Organisatie",
        "Minuten aanwezig",
    ]
    assert len(rows) == 2  # the absent learner is not on it
    (row,) = rows[1:]
    profile = first.professional_profile
    assert row[1] == timezone.localdate(session.starts_at).isoformat()
    assert row[2] == "T-venvn"
    assert row[3:7] == ["Bakker", "J.P.", profile.profession.name, profile.big_number]
    assert row[9] == "4,0"
    assert row[11] == "175"


def test_the_pdf_list_names_everyone_with_their_outcome_and_a_check_code(tmp_path):
    session, (first, _second) = _closed_room_session()
    pdf = tmp_path / "lijst.pdf"
    pdf.write_bytes(presence_list_pdf(session=session))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Presentielijst" in text and "Reanimatietraining op locatie" in text
    assert "J.P. Bakker" in text and "A. van den Berg" in text
    assert first.professional_profile.big_number in text
    assert "Aanwezig: punten toegekend" in text and "Niet genoeg aanwezig" in text
    assert "Controlecode" in text


def test_the_live_player_endpoints_count_minutes_and_take_answers(client):
    """What the live player (issue 19) talks to: JSON in and out, refusals with their reason."""
    session = webinar_session_make(
        course=webinar_course(), starts_at=timezone.now() - timedelta(minutes=5)
    )
    learner = learner_with_profile()
    session_register(
        session_id=session.pk, user=learner, now=session.starts_at - timedelta(hours=1)
    )
    client.force_login(learner)
    beat = client.post(f"/sessies/{session.pk}/aanwezig/")
    assert beat.status_code == 200
    assert beat.json() == {"minutes_online": 1, "minutes_planned": 90, "check": None}

    check = presence_check_open(session_id=session.pk, kind=PresenceCheck.Kind.STILL_WATCHING)
    beat = client.post(f"/sessies/{session.pk}/aanwezig/").json()
    assert beat["check"]["id"] == check.pk and beat["check"]["question"] == "Kijk je nog?"
    answer_url = f"/controles/{check.pk}/antwoord/"
    assert client.post(answer_url, {}, content_type="application/json").status_code == 201
    again = client.post(answer_url, {}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["reason"] == "Je hebt deze aanwezigheidscontrole al beantwoord."
    assert client.post(answer_url, "nee", content_type="application/json").status_code == 400


def test_a_certificate_for_attending_waits_for_the_learners_name_and_follows_it():
    course, session = _started_classroom_session()
    (learner,), registrations = _places(session, 1)
    learner_name_save(user=learner, name=LearnerName("", "", ""))
    marks = [PresenceMark(registrations[0].pk, True)]
    presence_list_save(session_id=session.pk, marks=marks, by=None, now=_at(session, 5))
    session_close(session_id=session.pk, now=_at(session, 200))
    assert LedgerEntry.objects.filter(user=learner, session_id=session.pk).exists()
    assert not Certificate.objects.filter(user=learner).exists()  # made out to a name

    learner_name_save(user=learner, name=LearnerName("Sanne", "de", "Vries"))
    learner_named.send(sender=None, user_id=learner.pk)  # as saving the profile does
    certificate = Certificate.objects.get(user=learner, course_id=course.pk)
    assert certificate.completed_on == timezone.localdate(session.starts_at)
