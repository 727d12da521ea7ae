from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from ..api import ONBOARDED_SESSION_KEY, learner_profile_exists

# Paths a learner without a profile may still use: accounts, the admin, files, the form itself.
_EXEMPT_PREFIXES = (
    "/accounts/",
    "/admin/",
    "/static/",
    "/media/",
    "/i18n/",
    "/profiel/welkom/",
    "/healthz/",
    # A certificate is checked by whoever holds it, signed in or not.
    "/certificaat/",
    # Staff export attendance whether or not they are learners themselves.
    "/mijn-accreditatie/export/",
    # Editors open course documents, and staff learners' evidence, without being learners.
    "/documents/",
    "/mijn-accreditatie/bewijs/",
    "/stream/",
)


class OnboardingMiddleware:
    """Send a signed-in learner who has no name or professional profile yet to the onboarding
    form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Decided once the view is known: an exempt view's request never loads the user here.
        if getattr(view_func, "onboarding_exempt", False) or not self._needs_onboarding(request):
            return None
        url = reverse("accreditation:onboarding")
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")

    def _needs_onboarding(self, request) -> bool:
        if request.method != "GET" or not request.user.is_authenticated:
            return False
        if request.path.startswith(_EXEMPT_PREFIXES) or request.session.get(ONBOARDED_SESSION_KEY):
            return False
        # Certificates are made out to the learner's name, so onboarding asks for it too.
        if request.user.has_name and learner_profile_exists(user_id=request.user.pk):
            request.session[ONBOARDED_SESSION_KEY] = True
            return False
        return True
