"""The player remembers a learner's speed and subtitles on the server (see
services/preferences.py); the page sends the CSRF token with each change."""

import json

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .services.preferences import PreferenceRefused, playback_preference_save

BODY_MAX_BYTES = 1024


@require_POST
def preference_save(request):
    """JSON ``{"speed": 1.5, "captions": "nl"}`` (either); answers 204, or 400/403 with the
    reason."""
    if not request.user.is_authenticated:
        return JsonResponse({"reason": _("Sign in to watch.")}, status=403)
    try:
        if len(request.body) > BODY_MAX_BYTES:
            raise PreferenceRefused(_("The request is too large."))
        try:
            choices = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError) as error:
            raise PreferenceRefused(_("The request is not valid JSON.")) from error
        playback_preference_save(user=request.user, choices=choices)
    except PreferenceRefused as refused:
        return JsonResponse({"reason": str(refused.reason)}, status=400)
    return HttpResponse(status=204)
