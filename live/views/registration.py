"""The learner's side: register and cancel in one click, the invitation, and the way to a
provider who takes registrations itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from catalog import api as catalog_api

from ..invitations import invitation_for_download
from ..models import LiveSession, SessionRegistration
from ..registration import (
    provider_referral_record,
    registration_cancel,
    session_register,
    waiting_position,
)
from ..selectors import registration_with_place_get


def _back(request, session: LiveSession):
    """To the page the learner came from (the course page or the dashboard)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    course = catalog_api.course_event_facts([session.course_id]).get(session.course_id)
    return redirect(course.url if course and course.url else "accreditation:dashboard")


def _attempt(request, session: LiveSession, service):
    """Run a registration service for the learner; its refusal becomes the page's message."""
    try:
        return service(session_id=session.pk, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None


def _registered_message(registration: SessionRegistration) -> tuple[int, str]:
    if registration.status == SessionRegistration.Status.WAITING:
        return messages.WARNING, _(
            "This session is full: you are on the waiting list, at place %(position)s. "
            "When a place comes free you get it automatically, and an e-mail."
        ) % {"position": waiting_position(registration)}
    when = formats.date_format(timezone.localtime(registration.session.starts_at), "l j F, H:i")
    return messages.SUCCESS, _(
        "You are registered for %(when)s. The invitation for your calendar is on its way by e-mail."
    ) % {"when": when}


@login_required
@require_POST
def register(request, session_id: int):
    session = get_object_or_404(LiveSession, pk=session_id)
    registration = _attempt(request, session, session_register)
    if registration is not None:
        messages.add_message(request, *_registered_message(registration))
    return _back(request, session)


@login_required
@require_POST
def cancel(request, session_id: int):
    session = get_object_or_404(LiveSession, pk=session_id)
    cancellation = _attempt(request, session, registration_cancel)
    if cancellation is not None and cancellation.had_place:
        messages.success(request, _("You have cancelled. Your place goes to someone else."))
    elif cancellation is not None:
        messages.success(request, _("You are off the waiting list."))
    return _back(request, session)


@login_required
@require_GET
@never_cache
def invitation(request, session_id: int):
    """The learner's invitation as a file, for "add to my calendar"."""
    registration = registration_with_place_get(session_id=session_id, user=request.user)
    if registration is None:
        raise Http404
    response = HttpResponse(
        invitation_for_download(registration), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="leerstroom-{session_id}.ics"'
    return response


@require_GET
def provider_redirect(request, session_id: int):
    """To the provider's own registration page, noting that the learner went."""
    session = get_object_or_404(LiveSession, pk=session_id)
    if not session.registration_url:
        raise Http404
    response = redirect(provider_referral_record(session=session, user=request.user))
    response["Referrer-Policy"] = "no-referrer"
    return response
