"""A small iCalendar (RFC 5545) writer for all-day events: escaping, folding, CRLF."""

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


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: AllDayEvent, stamp: str) -> Iterator[str]:
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


def ical_calendar(*, name: str, events: Iterable[AllDayEvent], now: datetime) -> str:
    """A VCALENDAR with the events, ready to serve as text/calendar."""
    stamp = _stamp(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Leerstroom//Accreditatie//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ical_escape(name)}",
    ]
    for event in events:
        lines.extend(_event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(ical_fold(line) + CRLF for line in lines)
