from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog import api as catalog_api

from .services.enrolment import VoucherRefused, voucher_redeem

# Codes are short enough to guess at speed; a learner gets this many tries an hour.
ATTEMPTS_PER_HOUR = 10


@login_required
@require_POST
def voucher_redeem_view(request):
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "/"
    key = f"playback:voucher-attempts:{request.user.pk}"
    cache.add(key, 0, timeout=3600)
    if cache.incr(key) > ATTEMPTS_PER_HOUR:
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


def _same_course(back: str, course_url: str) -> str:
    """Back to the episode the learner was on, if it belongs to the course; else the course."""
    return back if back.startswith(course_url) else course_url
