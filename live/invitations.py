"""The calendar invitation of a registration and the e-mails that carry it: a confirmation
with METHOD:REQUEST, a cancellation with METHOD:CANCEL and the same UID (one per registration),
a reminder the day before, and the same event in the learner's calendar feed."""

from datetime import date
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog import api as catalog_api
from lms.ical import Person, TimedEvent, ical_calendar

from .models import LiveSession, SessionRegistration

Status = SessionRegistration.Status
EMAIL_TEMPLATE = "live/email/registration"
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8; method={method}"
# The e-mails that carry the invitation (or its cancellation); not the waiting list's or the
# reminder's.
INVITING_MAILS = ("confirmed", "promoted", "cancelled")


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def session_location(session: LiveSession, course: catalog_api.CourseEventFacts | None) -> str:
    """Where the session is, as an invitation and a list print it."""
    if course is not None and course.format == "webinar":
        return _("Online, on Leerstroom")
    venue = session.venue or (course.venue if course else "")
    address = session.address or (course.address if course else "")
    return ", ".join(part for part in (venue, address) if part)


def registration_event(
    registration: SessionRegistration,
    *,
    course: catalog_api.CourseEventFacts | None = None,
    invitation: bool = True,
) -> TimedEvent:
    """The session as the learner's calendar shows it; as an invitation (e-mailed) it names
    the organizer and the learner, in the calendar feed (a secret address) nobody."""
    session = registration.session
    if course is None:
        course = catalog_api.course_event_facts([session.course_id]).get(session.course_id)
    organizer_name, organizer_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    user = registration.user
    title = course.title if course else str(_("Session"))
    return TimedEvent(
        uid=f"registration-{registration.uid}@leerstroom",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=title,
        description=_("Your registration on Leerstroom. Cancel or see the details: %(url)s")
        % {"url": _absolute(course.url) if course else settings.SITE_URL},
        url=_absolute(course.url) if course and course.url else "",
        location=session_location(session, course),
        sequence=registration.sequence,
        cancelled=registration.status == Status.CANCELLED,
        organizer=Person(organizer_name or "Leerstroom", organizer_email) if invitation else None,
        attendee=Person(user.get_full_name() or user.email, user.email) if invitation else None,
    )


def registration_ics(registration: SessionRegistration) -> tuple[str, str]:
    """The invitation as a file, and its METHOD: REQUEST, or CANCEL once cancelled."""
    method = "CANCEL" if registration.status == Status.CANCELLED else "REQUEST"
    with translation.override(settings.LANGUAGE_CODE):
        text = ical_calendar(
            name=_("Leerstroom"),
            events=[registration_event(registration)],
            now=timezone.now(),
            method=method,
        )
    return text, method


def registration_message(registration: SessionRegistration, *, mail: str) -> EmailMessage:
    """The e-mail about a change of a registration, in Dutch like the registers it is for,
    with the invitation attached unless it is about the waiting list."""
    session = registration.session
    course = catalog_api.course_event_facts([session.course_id]).get(session.course_id)
    context = {
        "mail": mail,
        "registration": registration,
        "session": session,
        "course": course,
        "location": session_location(session, course),
        "course_url": _absolute(course.url) if course else settings.SITE_URL,
        "registrations_url": _absolute(reverse("accreditation:dashboard")),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{EMAIL_TEMPLATE}_subject.txt", context)
        body = render_to_string(f"{EMAIL_TEMPLATE}.txt", context)
    message = EmailMessage(" ".join(subject.split()), body, to=[registration.user.email])
    if mail in INVITING_MAILS:
        text, method = registration_ics(registration)
        message.attach("uitnodiging.ics", text, ICS_CONTENT_TYPE.format(method=method))
    return message


def registration_mail_send(*, registration_id: int, sequence: int, mail: str) -> bool:
    """Send the e-mail for one change of a registration, once: a newer change supersedes it
    (its own e-mail says what holds), and a retried task finds it claimed. True when sent."""
    claimed = (
        SessionRegistration.objects.filter(pk=registration_id, sequence=sequence)
        .filter(Q(mailed_sequence__isnull=True) | Q(mailed_sequence__lt=sequence))
        .update(mailed_sequence=sequence)
    )
    if not claimed:
        return False
    try:
        return _send(registration_id=registration_id, mail=mail)
    except Exception:
        # Given back, so a retry sends it.
        SessionRegistration.objects.filter(pk=registration_id, mailed_sequence=sequence).update(
            mailed_sequence=sequence - 1 if sequence else None
        )
        raise


def _send(*, registration_id: int, mail: str) -> bool:
    registration = SessionRegistration.objects.select_related("session", "user").get(
        pk=registration_id
    )
    if not registration.user.email:
        return False
    registration_message(registration, mail=mail).send()
    return True


def registration_calendar_events(user_id: int, on: date) -> list[TimedEvent]:
    """For the learner's calendar feed: the sessions they have a place at, from today on."""
    registrations = list(
        SessionRegistration.objects.filter(
            user_id=user_id,
            status=Status.REGISTERED,
            session__ends_at__date__gte=on,
        ).select_related("session", "user")
    )
    courses = catalog_api.course_event_facts({r.session.course_id for r in registrations})
    return [
        registration_event(
            registration, course=courses.get(registration.session.course_id), invitation=False
        )
        for registration in registrations
    ]


def invitation_for_download(registration: SessionRegistration) -> str:
    """The invitation as the learner downloads it from the page ("add to my calendar")."""
    return registration_ics(registration)[0]
