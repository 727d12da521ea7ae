"""The learner's profile pages: onboarding and the profile itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ..api import ONBOARDED_SESSION_KEY
from .forms import ProfessionalProfileForm
from .selectors import professional_profile_get, registration_list
from .services import LearnerName, professional_profile_save

BIG_NUMBER_DISPUTED_MESSAGE = _lazy(
    "This BIG number is already linked to another account, so we did not save it. Our staff "
    "will check who it belongs to and contact you by e-mail."
)


def _initial_from_profile(user) -> dict:
    names = {
        "first_name": user.first_name,
        "initials": user.initials,
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
            name=LearnerName(
                data["first_name"], data["surname_prefix"], data["last_name"], data["initials"]
            ),
        )
        request.session[ONBOARDED_SESSION_KEY] = True
        messages.success(request, success_message)
        if saved.big_number_disputed:
            messages.warning(request, BIG_NUMBER_DISPUTED_MESSAGE)
        return redirect(_period_url(request.user, saved, then=resolve_url(success_url)))
    context = {"form": form, "registrations": registration_list(user=request.user)}
    return render(request, template, context, status=400 if form.errors else 200)


def _period_url(user, saved, *, then: str) -> str:
    """A register just added asks for its period next (as the register shows it); then on."""
    added = [r for r in registration_list(user=user) if r.register_id in saved.added_register_ids]
    if not added:
        return then
    edit_url = reverse("accreditation:registration_edit", args=[added[0].pk])
    return f"{edit_url}?{urlencode({'next': then})}"


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
