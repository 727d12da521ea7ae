"""The learner's BIG pages: the work-hour log and the last re-registration decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..profiles.views import BIG_NUMBER_DISPUTED_MESSAGE
from .forms import BigReregistrationForm, WorkHoursEntryForm
from .selectors import work_hours_list
from .services import big_decision_record, work_hours_entry_add, work_hours_entry_delete


def _form_errors_from(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        form.add_error(None, error)


@login_required
def work_hours(request):
    form = WorkHoursEntryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            work_hours_entry_add(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("Your work hours are saved."))
            return redirect("accreditation:work_hours")
    return render(
        request,
        "accreditation/work_hours.html",
        {"form": form, "entries": work_hours_list(user=request.user)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def work_hours_delete(request, entry_id: int):
    work_hours_entry_delete(user=request.user, entry_id=entry_id)
    messages.success(request, _("The entry is removed."))
    return redirect("accreditation:work_hours")


@login_required
def big_reregistration(request):
    form = BigReregistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        registration = big_decision_record(
            user=request.user,
            decided_on=form.cleaned_data["decided_on"],
            big_number=form.cleaned_data["big_number"],
        )
        messages.success(request, _("Your BIG deadline is updated."))
        if registration.member_number != form.cleaned_data["big_number"]:
            messages.warning(request, BIG_NUMBER_DISPUTED_MESSAGE)
        return redirect("accreditation:dashboard")
    return render(
        request,
        "accreditation/big_reregistration.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
