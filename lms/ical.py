"""A small iCalendar (RFC 5545) writer: all-day events (deadlines) and timed events (sessions a
learner registered for, in UTC so no VTIMEZONE is needed); escaping, folding, CRLF."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

CRLF = "\r\n"
# Content lines are at most 75 octets, not counting the line break (section 3.1).
LINE_OCTETS = 75


@dataclass(frozen=True)
class AllDayEvent:
    uid: str
    day: date
    summary: str
    description: str = ""
    url: str = ""


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class TimedEvent:
    """An event with a start and end time; with an organizer and attendee it is an invitation,
    and a later copy with the same UID and a higher sequence replaces or cancels it."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str = ""
    url: str = ""
    location: str = ""
    sequence: int = 0
    cancelled: bool = False
    organizer: Person | None = None
    attendee: Person | None = None


def ical_escape(text: str) -> str:
    """TEXT values: backslash, semicolon and comma escaped, line breaks as \\n (3.3.11)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def ical_fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, each continuation starting with
    a space; never inside a UTF-8 character."""
    pieces: list[str] = []
    current, size = "", 0
    for character in line:
        width = len(character.encode())
        # A continuation line spends one octet on its leading space.
        limit = LINE_OCTETS if not pieces else LINE_OCTETS - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += character
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def ical_utc(moment: datetime) -> str:
    """A moment as a UTC DATE-TIME (form 2, 3.3.5): calendars show it in the reader's zone."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _parameter(value: str) -> str:
    """A parameter value such as CN, quoted; DQUOTE is not allowed inside (3.2)."""
    return '"' + value.replace('"', "'") + '"'


def _all_day_lines(event: AllDayEvent, stamp: str) -> Iterator[str]:
    yield "BEGIN:VEVENT"
    yield f"UID:{event.uid}"
    yield f"DTSTAMP:{stamp}"
    yield f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}"
    yield f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}"
    yield f"SUMMARY:{ical_escape(event.summary)}"
    if event.description:
        yield f"DESCRIPTION:{ical_escape(event.description)}"
    if event.url:
        yield f"URL:{event.url}"
    yield "TRANSP:TRANSPARENT"
    yield "END:VEVENT"


def _timed_lines(event: TimedEvent, stamp: str) -> Iterator[str]:
    yield "BEGIN:VEVENT"
    yield f"UID:{event.uid}"
    yield f"SEQUENCE:{event.sequence}"
    yield f"DTSTAMP:{stamp}"
    yield f"DTSTART:{ical_utc(event.starts_at)}"
    yield f"DTEND:{ical_utc(event.ends_at)}"
    yield f"SUMMARY:{ical_escape(event.summary)}"
    if event.location:
        yield f"LOCATION:{ical_escape(event.location)}"
    if event.description:
        yield f"DESCRIPTION:{ical_escape(event.description)}"
    if event.url:
        yield f"URL:{event.url}"
    if event.organizer is not None:
        yield f"ORGANIZER;CN={_parameter(event.organizer.name)}:mailto:{event.organizer.email}"
    if event.attendee is not None:
        status = "DECLINED" if event.cancelled else "ACCEPTED"
        yield (
            f"ATTENDEE;CN={_parameter(event.attendee.name)};ROLE=REQ-PARTICIPANT;"
            f"PARTSTAT={status};RSVP=FALSE:mailto:{event.attendee.email}"
        )
    yield f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}"
    yield "TRANSP:OPAQUE"
    yield "END:VEVENT"


def ical_calendar(
    *,
    name: str,
    events: Iterable[AllDayEvent | TimedEvent],
    now: datetime,
    method: str = "PUBLISH",
) -> str:
    """A VCALENDAR with the events, ready to serve as text/calendar. PUBLISH for a feed;
    REQUEST or CANCEL for an invitation sent by e-mail (RFC 5546)."""
    stamp = ical_utc(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Leerstroom//Accreditatie//NL",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        f"X-WR-CALNAME:{ical_escape(name)}",
    ]
    for event in events:
        writer = _timed_lines if isinstance(event, TimedEvent) else _all_day_lines
        lines.extend(writer(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(ical_fold(line) + CRLF for line in lines)
