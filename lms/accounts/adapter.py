from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request) -> str:
        # A new learner first tells us their profession, BIG number and registers.
        return reverse("accreditation:onboarding")
