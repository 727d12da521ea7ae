"""The door's QR code: a registered learner opens it on their phone and is marked present."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from catalog import api as catalog_api

from ..door import door_session_id
from ..models import LiveSession
from ..presence import door_check_in


@login_required
def door(request, token: str):
    session_id = door_session_id(token)
    if session_id is None:
        raise Http404
    session = get_object_or_404(LiveSession, pk=session_id)
    course = catalog_api.course_event_facts([session.course_id]).get(session.course_id)
    if request.method == "POST":
        try:
            door_check_in(session_id=session.pk, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Welcome! You are marked present."))
        return redirect("live:door", token=token)
    return render(request, "live/door.html", {"session": session, "course": course})
