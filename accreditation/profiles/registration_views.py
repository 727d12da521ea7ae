"""The learner's page for one registration: its period (for BIG the deadline) and, where the
register grants one, the personal reduction with the register's decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lms.private_files import private_file_response

from ..ledger.evidence import evidence_content_type, evidence_download_name
from ..standing.dashboard import registration_standing
from .registration_forms import registration_form_for
from .selectors import (
    registration_get,
    registration_reduction_evidence_get,
    registration_rules_get,
)


def _next_url(request) -> str | None:
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return None


@login_required
def registration_edit(request, registration_id: int):
    registration = registration_get(user=request.user, registration_id=registration_id)
    if registration is None:
        raise Http404
    rules = registration_rules_get(
        registration=registration, start=registration.period_start, end=registration.period_end
    )
    form = registration_form_for(
        registration, request.POST or None, request.FILES or None, rules=rules
    )
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:
            # The form checked the same rules; what the service still refuses shows on top.
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("Your period in %(register)s is saved.")
                % {"register": registration.register.display_short_name},
            )
            return redirect(_next_url(request) or "accreditation:dashboard")
    return render(
        request,
        "accreditation/registration_edit.html",
        {
            "form": form,
            "registration": registration,
            "rules": rules,
            "standing": registration_standing(registration=registration),
            "next": _next_url(request) or "",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def registration_reduction_evidence(request, registration_id: int):
    registration = registration_reduction_evidence_get(
        registration_id=registration_id, viewer=request.user
    )
    if registration is None:
        raise Http404
    evidence = registration.reduction_evidence
    return private_file_response(
        file=evidence,
        filename=evidence_download_name(evidence.name),
        content_type=evidence_content_type(evidence.name),
    )
