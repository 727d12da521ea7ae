"""Staff's side: the presence list on screen (marking, late arrival, early leave), closing the
session, the presence lists for the registers, and the moderator's presence checks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from catalog import api as catalog_api

from ..attendance import session_close
from ..door import door_qr_svg, door_url
from ..exports import (
    presence_csv_lines,
    presence_list_filename,
    presence_list_pdf,
    session_registers,
)
from ..forms import PresenceCheckForm, presence_marks_parse
from ..invitations import session_location
from ..models import LiveSession
from ..presence import presence_list_save
from ..presence_online import presence_check_open, presence_checks_plan
from ..selectors import presence_list, session_checks

MARK = "live.mark_presence"
MODERATE = "live.moderate_session"


def _session(session_id: int) -> LiveSession:
    return get_object_or_404(LiveSession.objects.select_related("rule"), pk=session_id)


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@permission_required(MARK, raise_exception=True)
@never_cache
def presence(request, session_id: int):
    session = _session(session_id)
    status = 200
    if request.method == "POST":
        try:
            saved = presence_list_save(
                session_id=session.pk, marks=presence_marks_parse(request.POST), by=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            status = 400
        else:
            messages.success(request, _("Presence saved for %(count)s people.") % {"count": saved})
            return redirect("live:presence", session_id=session.pk)
    course = catalog_api.course_event_facts([session.course_id]).get(session.course_id)
    context = {
        "session": session,
        "course": course,
        "location": session_location(session, course),
        "lines": presence_list(session=session),
        "registers": session_registers(session=session),
        "door_qr": door_qr_svg(door_url(session_id=session.pk))
        if not session.rule.online and not session.is_closed
        else "",
        "checks": session_checks(session=session) if session.rule.online else [],
        "check_form": PresenceCheckForm() if session.rule.online else None,
        "can_moderate": request.user.has_perm(MODERATE),
    }
    return render(request, "live/presence.html", context, status=status)


@login_required
@permission_required(MARK, raise_exception=True)
@require_POST
def close(request, session_id: int):
    session = _session(session_id)
    try:
        session_close(session_id=session.pk, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The session is closed: those present by its rule have their points."),
        )
    return redirect("live:presence", session_id=session.pk)


@login_required
@permission_required(MARK, raise_exception=True)
@require_GET
@never_cache
def presence_pdf(request, session_id: int):
    session = _session(session_id)
    response = HttpResponse(presence_list_pdf(session=session), content_type="application/pdf")
    return _attachment(response, presence_list_filename(session=session, suffix="pdf"))


@login_required
@permission_required(MARK, raise_exception=True)
@require_GET
@never_cache
def presence_csv(request, session_id: int, register_slug: str):
    session = _session(session_id)
    register = next(
        (choice for choice in session_registers(session=session) if choice.slug == register_slug),
        None,
    )
    if register is None:
        raise Http404
    response = StreamingHttpResponse(
        presence_csv_lines(session=session, register_id=register.register_id),
        content_type="text/csv; charset=utf-8",
    )
    filename = presence_list_filename(session=session, suffix="csv", register=register.slug)
    return _attachment(response, filename)


@login_required
@permission_required(MODERATE, raise_exception=True)
@require_POST
def check_open(request, session_id: int):
    session = _session(session_id)
    form = PresenceCheckForm(request.POST)
    try:
        if request.POST.get("plan"):
            planned = presence_checks_plan(session_id=session.pk, by=request.user)
            messages.success(request, _("%(count)s checks planned.") % {"count": len(planned)})
        elif form.is_valid():
            presence_check_open(session_id=session.pk, by=request.user, **form.cleaned_data)
            messages.success(request, _("The presence check is set."))
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("live:presence", session_id=session.pk)
