"""The learner's deadline calendar feed, read by calendar apps without a session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .feed import calendar_feed_by_token, calendar_feed_ics, calendar_feed_renew


@require_GET
def calendar_feed(request, token: str):
    feed = calendar_feed_by_token(token=token)
    if feed is None or not feed.user.is_active:
        raise Http404
    response = HttpResponse(
        calendar_feed_ics(feed=feed), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="leerstroom-accreditatie.ics"'
    # The address is the secret: keep it out of shared caches and referrers.
    response["Cache-Control"] = "private, max-age=3600"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_POST
def calendar_feed_new_link(request):
    calendar_feed_renew(user=request.user)
    messages.success(request, _("Your calendar has a new link. The previous link no longer works."))
    return redirect("accreditation:dashboard")
