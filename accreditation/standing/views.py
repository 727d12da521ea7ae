"""The learner's "My accreditation" page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ..certificates.selectors import certificate_list
from ..deadlines.feed import calendar_feed_get, calendar_feed_url
from ..ledger.selectors import ledger_entries_recent
from ..profiles.selectors import professional_profile_get
from .dashboard import (
    BIG_REREGISTRATION_URL,
    dashboard_register_cards,
    entries_with_period_notes,
    points_still_needed,
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
            "cards": cards,
            "points_still_needed": points_still_needed(cards),
            "calendar_feed_url": feed and calendar_feed_url(feed=feed, request=request),
            "big_reregistration_url": BIG_REREGISTRATION_URL,
            "entries": entries_with_period_notes(
                ledger_entries_recent(user=request.user, limit=20), cards
            ),
            "certificates": certificate_list(user=request.user),
        },
    )
