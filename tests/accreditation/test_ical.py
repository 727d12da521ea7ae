"""The deadline calendar feed: valid iCalendar behind a secret, revocable address."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from accreditation.models import CalendarFeed
from accreditation.work_hours.services import big_decision_record
from lms.ical import AllDayEvent, ical_calendar, ical_escape, ical_fold
from tests.accreditation.factories import registration_make
from tests.factories import learner_with_profile


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_text_is_escaped():
    assert ical_escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character():
    line = "DESCRIPTION:" + "Herregistratie één " * 20
    folded = ical_fold(line)
    physical = folded.split("\r\n")
    assert len(physical) > 1
    assert all(len(part.encode()) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    for part in physical:
        part.encode().decode()  # each physical line is whole UTF-8
    assert folded.replace("\r\n ", "") == line


def test_a_calendar_has_crlf_lines_and_all_day_events():
    text = ical_calendar(
        name="Leerstroom",
        events=[AllDayEvent("x-1@leerstroom", date(2030, 6, 30), "Deadline V&VN, BIG; en meer")],
        now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = _unfold(text)
    assert "DTSTART;VALUE=DATE:20300630" in lines and "DTEND;VALUE=DATE:20300701" in lines
    assert "DTSTAMP:20260102T030405Z" in lines
    assert "SUMMARY:Deadline V&VN\\, BIG\\; en meer" in lines


@pytest.mark.django_db
class TestFeed:
    @pytest.fixture
    def learner(self, client):
        user = learner_with_profile()
        client.force_login(user)
        return user

    def _feed_url(self, client, learner) -> str:
        assert client.post("/mijn-accreditatie/agenda/nieuwe-link/").status_code == 302
        return f"/mijn-accreditatie/agenda/{CalendarFeed.objects.get(user=learner).token}.ics"

    def test_the_feed_lists_each_deadline_and_the_reminders_to_come(self, client, learner):
        today = timezone.localdate()
        registration_make(
            user=learner,
            register_slug="venvn",
            start=today - timedelta(days=1000),
            end=today + timedelta(days=100),
        )
        big_decision_record(user=learner, decided_on=today - timedelta(days=365))
        url = self._feed_url(client, learner)
        client.logout()  # calendar apps have no session
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        text = response.content.decode()
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
        lines = _unfold(text)
        assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
        assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT")
        # V&VN: the deadline and two reminders (the 6-month one has passed); BIG: all four.
        assert lines.count("BEGIN:VEVENT") == 3 + 4
        uids = [line for line in lines if line.startswith("UID:")]
        assert len(set(uids)) == len(uids) == 7
        assert sum(line.startswith("DTSTAMP:") for line in lines) == 7
        deadline = (today + timedelta(days=100)).strftime("%Y%m%d")
        assert f"DTSTART;VALUE=DATE:{deadline}" in lines
        assert any(line.startswith("SUMMARY:Uiterste datum V&VN") for line in lines)

    def test_an_unknown_token_is_not_found(self, client, learner):
        assert client.get("/mijn-accreditatie/agenda/niet-geldig.ics").status_code == 404
        assert client.get(f"/mijn-accreditatie/agenda/{'x' * 200}.ics").status_code == 404

    def test_a_new_link_revokes_the_old_one(self, client, learner):
        old = self._feed_url(client, learner)
        new = self._feed_url(client, learner)
        assert old != new
        assert client.get(old).status_code == 404
        assert client.get(new).status_code == 200

    def test_the_dashboard_shows_the_link_once_made(self, client, learner):
        assert (
            'action="/mijn-accreditatie/agenda/nieuwe-link/"' in client.get("/accreditatie/").text
        )
        url = self._feed_url(client, learner)
        assert url in client.get("/accreditatie/").text

    def test_a_new_link_needs_a_signed_in_post(self, client, learner):
        assert client.get("/mijn-accreditatie/agenda/nieuwe-link/").status_code == 405
        client.logout()
        response = client.post("/mijn-accreditatie/agenda/nieuwe-link/")
        assert response.status_code == 302 and "/accounts/" in response["Location"]
        assert not CalendarFeed.objects.exists()
