"""The learner's end test: the sheet (GET), handing it in (POST), and the result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .models import TestAttempt
from .services.assessment import (
    AnswersRefused,
    AttemptClosed,
    AttemptOutdated,
    TestUnavailable,
    attempt_result_get,
    attempt_start,
    attempt_submit,
)
from .services.assessment_pages import attempt_sheet, retake_refusal
from .services.retakes import RetakeRefused


def _attempt_id(request) -> int:
    value = request.POST.get("attempt", "")
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def end_test(request, episode_id: int):
    try:
        if request.method == "GET":
            attempt = attempt_start(user=request.user, episode_id=episode_id)
            return render(request, "playback/test.html", {"sheet": attempt_sheet(attempt=attempt)})
        attempt_id = _attempt_id(request)
        attempt = attempt_submit(
            user=request.user, episode_id=episode_id, attempt_id=attempt_id, data=request.POST
        )
    except (TestUnavailable, TestAttempt.DoesNotExist) as missing:
        raise Http404 from missing
    except RetakeRefused as refused:
        # Shown on the test page itself; handing in anyway is refused, and nothing is stored.
        context = {"refusal": retake_refusal(user=request.user, refused=refused)}
        status = 200 if request.method == "GET" else 403
        return render(request, "playback/test_refused.html", context, status=status)
    except AnswersRefused as refused:
        attempt = TestAttempt.objects.get(pk=attempt_id, user=request.user)
        context = {
            "sheet": attempt_sheet(attempt=attempt, chosen=refused.chosen),
            "error": refused.reason,
        }
        return render(request, "playback/test.html", context, status=400)
    except AttemptOutdated:
        messages.warning(request, _("This test was changed while you took it. Please start again."))
        return redirect("playback:test", episode_id=episode_id)
    except AttemptClosed:
        messages.error(
            request,
            _(
                "This attempt was handed in already and its answers stand. "
                "Retake the test to try again."
            ),
        )
        return redirect("playback:test_result", episode_id=episode_id, attempt_id=attempt_id)
    return redirect("playback:test_result", episode_id=episode_id, attempt_id=attempt.pk)


@login_required
@never_cache
@require_GET
def end_test_result(request, episode_id: int, attempt_id: int):
    try:
        attempt = attempt_result_get(
            user=request.user, episode_id=episode_id, attempt_id=attempt_id
        )
    except (TestUnavailable, TestAttempt.DoesNotExist) as missing:
        raise Http404 from missing
    return render(request, "playback/test_result.html", {"sheet": attempt_sheet(attempt=attempt)})
