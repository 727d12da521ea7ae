"""A session's presence lists: per register a CSV in the columns the registers ask for (the
course attendance export's, with the organisation and the proof of presence after them), and a
signed PDF list of everyone with a place for the provider's records."""

import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accreditation import api as accreditation_api
from catalog import api as catalog_api

from .invitations import session_location
from .models import Attendance, LiveSession, PresenceRule
from .selectors import PresenceLine, presence_list

PRESENCE_LIST_SALT = "live.presence_list"
PRESENCE_LIST_TEMPLATE = "live/presence_list_pdf.html"


@dataclass(frozen=True)
class RegisterChoice:
    slug: str
    short_name: str
    register_id: int
    activity_id: str


def session_registers(*, session: LiveSession) -> list[RegisterChoice]:
    """The registers the session's course is accredited in on the day of the session."""
    day = timezone.localdate(session.starts_at)
    lines = accreditation_api.course_accreditation_lines(course_id=session.course_id, on=day)
    slugs = {register.short_name: register for register in accreditation_api.register_list()}
    return [
        RegisterChoice(
            slugs[line.register].slug, line.register, slugs[line.register].id, line.activity_id
        )
        for line in lines
        if line.register in slugs
    ]


def presence_csv_header(*, session: LiveSession) -> list[str]:
    header = [*accreditation_api.attendance_header(), _("Organisation"), _("Minutes present")]
    if session.rule.method == PresenceRule.Method.CHECKS:
        header.append(_("Presence checks answered"))
    return header


def presence_csv_rows(*, session: LiveSession, register_id: int) -> Iterator[list[object]]:
    """Those awarded the session's points in the register, one row each."""
    course = catalog_api.course_event_facts([session.course_id]).get(session.course_id)
    organisation = course.provider if course else ""
    attendances = {
        attendance.registration.user_id: attendance
        for attendance in Attendance.objects.filter(registration__session=session).select_related(
            "registration"
        )
    }
    checks = session.rule.method == PresenceRule.Method.CHECKS
    for row in accreditation_api.session_attendance_rows(
        course_id=session.course_id, session_id=session.pk, register_id=register_id
    ):
        attendance = attendances.get(row.user_id)
        cells = [*accreditation_api.attendance_cells(row), organisation]
        cells.append(attendance.minutes_present if attendance else "")
        if checks:
            cells.append(
                f"{attendance.checks_answered}/{attendance.checks_held}" if attendance else ""
            )
        yield cells


def presence_csv_lines(*, session: LiveSession, register_id: int) -> Iterator[str]:
    with translation.override(settings.LANGUAGE_CODE):
        header = presence_csv_header(session=session)
    return accreditation_api.csv_stream(
        header=header, rows=presence_csv_rows(session=session, register_id=register_id)
    )


def presence_list_signature(*, session: LiveSession, lines: list[PresenceLine]) -> str:
    """A code over what the list states, so a changed copy is told apart from the one made
    here (the provider keeps it; staff can make it again and compare)."""
    statement = json.dumps(
        {
            "session": session.pk,
            "closed_at": session.closed_at.isoformat() if session.closed_at else "",
            "lines": [
                [line.name, line.big_number, line.present, line.met, line.explained]
                for line in lines
            ],
        },
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    signature = signing.Signer(salt=PRESENCE_LIST_SALT).signature(statement)
    return "-".join(signature[i : i + 5] for i in range(0, 20, 5)).upper()


def presence_list_filename(*, session: LiveSession, suffix: str, register: str = "") -> str:
    day = timezone.localtime(session.starts_at)
    parts = ["presentielijst", str(session.pk), f"{day:%Y%m%d}", register]
    return "-".join(part for part in parts if part) + f".{suffix}"


def presence_list_pdf(*, session: LiveSession) -> bytes:
    from weasyprint import HTML

    course = catalog_api.course_event_facts([session.course_id]).get(session.course_id)
    # A presence list goes to Dutch registers, whatever the site language.
    with translation.override(settings.LANGUAGE_CODE):
        lines = presence_list(session=session)
        html = render_to_string(
            PRESENCE_LIST_TEMPLATE,
            {
                "session": session,
                "course": course,
                "location": session_location(session, course),
                "registers": session_registers(session=session),
                "lines": lines,
                "signature": presence_list_signature(session=session, lines=lines),
                "made_at": timezone.localtime(),
                "closed_by": session.closed_by.get_full_name() if session.closed_by else "",
            },
        )
    return HTML(string=html).write_pdf()
