from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog import api as catalog_api
from lms.ratelimit import client_ip, rate_limit_allows

from .services.enrolment import VoucherRefused, voucher_redeem

# Codes are short enough to guess at speed: an account gets this many tries an hour, and an
# address (a hospital's NAT puts a ward behind one) this many across its accounts.
ATTEMPTS_PER_HOUR = 10
ATTEMPTS_PER_HOUR_PER_ADDRESS = 60


@login_required
@require_POST
def voucher_redeem_view(request):
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "/"
    if not _attempt_allowed(request):
        messages.error(request, _("Too many attempts. Try again in an hour."))
        return redirect(back)
    try:
        enrolment = voucher_redeem(user=request.user, code=request.POST.get("code", ""))
    except VoucherRefused as refused:
        messages.error(request, refused.reason)
        return redirect(back)
    course = catalog_api.watchable_get(course_id=enrolment.course_id)
    messages.success(request, _("You are enrolled. Enjoy the course!"))
    return redirect(back if course is None else _same_course(back, course.url))


def _attempt_allowed(request) -> bool:
    # Both windows count every attempt, so neither can be drained through the other.
    per_account = rate_limit_allows(
        f"voucher:user:{request.user.pk}", limit=ATTEMPTS_PER_HOUR, seconds=3600
    )
    per_address = rate_limit_allows(
        f"voucher:ip:{client_ip(request)}", limit=ATTEMPTS_PER_HOUR_PER_ADDRESS, seconds=3600
    )
    return per_account and per_address


def _same_course(back: str, course_url: str) -> str:
    """Back to the episode the learner was on, if it belongs to the course; else the course."""
    return back if back.startswith(course_url) else course_url
