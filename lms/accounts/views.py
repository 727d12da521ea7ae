"""Wagtail's sign-in and password-reset addresses, led to allauth's.

allauth asks for the second factor before there is a session and keeps the rate limits and the
failed-login lockout; Wagtail's own forms would sign in with a password alone.
"""

from allauth.account.utils import get_next_redirect_url
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache


def _sign_in_redirect(next_url: str | None):
    url = reverse("account_login")
    return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)


@never_cache
def admin_login(request):
    """The admin's sign-in: allauth's, ending in the admin."""
    next_url = get_next_redirect_url(request) or reverse("wagtailadmin_home")
    if not request.user.is_authenticated:
        return _sign_in_redirect(next_url)
    if request.user.has_perm("wagtailadmin.access_admin"):
        return redirect(next_url)
    # allauth's form sends a signed-in visitor straight back here, so say no instead of looping.
    raise PermissionDenied


@never_cache
def frontend_login(request):
    """The sign-in Wagtail links to from login-restricted pages and documents."""
    return _sign_in_redirect(get_next_redirect_url(request))


@never_cache
def password_reset(request):
    return redirect("account_reset_password")
