from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from .api import ONBOARDED_SESSION_KEY
from .calendar_feed import calendar_feed_get, calendar_feed_url
from .certificate_selectors import certificate_list
from .dashboard import BIG_REREGISTRATION_URL, dashboard_register_cards, points_still_needed
from .forms import (
    BigReregistrationForm,
    ManualActivityForm,
    ProfessionalProfileForm,
    WorkHoursEntryForm,
)
from .ledger_services import manual_activity_add
from .selectors import (
    ledger_entries_recent,
    professional_profile_get,
    registration_list,
    work_hours_list,
)
from .services import LearnerName, professional_profile_save
from .work_hours_services import big_decision_record, work_hours_entry_add, work_hours_entry_delete

BIG_NUMBER_DISPUTED_MESSAGE = _lazy(
    "This BIG number is already linked to another account, so we did not save it. Our staff "
    "will check who it belongs to and contact you by e-mail."
)


def _initial_from_profile(user) -> dict:
    names = {
        "first_name": user.first_name,
        "surname_prefix": user.surname_prefix,
        "last_name": user.last_name,
    }
    profile = professional_profile_get(user=user)
    if profile is None:
        return names
    return names | {
        "profession": profile.profession_id,
        "big_number": profile.big_number,
        "registers": [
            registration.register
            for registration in registration_list(user=user)
            if registration.register.kind == registration.register.Kind.POINTS
        ],
    }


def _profile_form_view(request, *, template: str, success_url: str, success_message: str):
    form = ProfessionalProfileForm(
        request.POST or None, initial=_initial_from_profile(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = professional_profile_save(
            user=request.user,
            profession_id=data["profession"],
            big_number=data["big_number"],
            registers=list(data["registers"]),
            name=LearnerName(data["first_name"], data["surname_prefix"], data["last_name"]),
        )
        request.session[ONBOARDED_SESSION_KEY] = True
        messages.success(request, success_message)
        if saved.big_number_disputed:
            messages.warning(request, BIG_NUMBER_DISPUTED_MESSAGE)
        return redirect(success_url)
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


@login_required
def onboarding(request):
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return _profile_form_view(
        request,
        template="accreditation/onboarding.html",
        success_url=next_url,
        success_message=_("Welcome to Leerstroom! Your profile is saved."),
    )


@login_required
def profile(request):
    return _profile_form_view(
        request,
        template="accreditation/profile.html",
        success_url="accreditation:profile",
        success_message=_("Your profile is saved."),
    )


@login_required
def dashboard(request):
    cards = dashboard_register_cards(user=request.user, on=timezone.localdate())
    feed = calendar_feed_get(user=request.user)
    return render(
        request,
        "accreditation/dashboard.html",
        {
            "profile": professional_profile_get(user=request.user),
            "registrations": [(c.registration, c.evaluation, c.chart) for c in cards],
            "points_still_needed": points_still_needed(cards),
            "calendar_feed_url": feed and calendar_feed_url(feed=feed, request=request),
            "big_reregistration_url": BIG_REREGISTRATION_URL,
            "entries": ledger_entries_recent(user=request.user, limit=20),
            "certificates": certificate_list(user=request.user),
        },
    )


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
            _form_errors_from(form, error)
        else:
            messages.success(request, _("The activity is added to your points."))
            return redirect("accreditation:dashboard")
    return render(
        request,
        "accreditation/activity_add.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
