"""The learner adds an activity done elsewhere to their points."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ManualActivityForm
from .services import manual_activity_add


@login_required
def activity_add(request):
    form = ManualActivityForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            manual_activity_add(
                user=request.user,
                register=data["register"],
                category_id=data["category"].pk,
                title=data["title"],
                points=data["points"],
                earned_on=data["earned_on"],
                evidence=data["evidence"],
            )
        except ValidationError as error:
            # The ledger's checks name no field, so they show above the form.
            form.add_error(None, error)
        else:
            messages.success(request, _("The activity is added to your points."))
            return redirect("accreditation:dashboard")
    return render(
        request,
        "accreditation/activity_add.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
