from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from playback import api as playback_api

from .cards import course_cards_for_ids
from .course_page import course_completion, course_completion_awards_settled
from .learners import learner_for
from .places import PLACES
from .rows import RowContext, row_build, row_find
from .search import course_search, result_cards
from .search_params import (
    DISTANCES_KM,
    QUERY_MAX_LENGTH,
    SORTS,
    Vocabulary,
    active_filters,
    search_request_parse,
)

RESULTS_PER_PAGE = 24


class CountedPaginator(Paginator):
    """A paginator told the number of results, which the search counted with its facets."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


def _page_number(raw: str | None, paginator: Paginator) -> tuple[int, str]:
    """The page to show and, when the asked-for page does not exist, a note saying so."""
    if raw is None or raw == "":
        return 1, ""
    last = paginator.num_pages
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1, _("“%(page)s” is not a page number; this is the first page.") % {"page": raw[:20]}
    if number < 1:
        return 1, _("Pages start at 1; this is the first page.")
    if number > last:
        return last, _("There is no page %(page)s; this is the last page, %(last)s.") % {
            "page": number,
            "last": last,
        }
    return number, ""


def search(request):
    learner = learner_for(request)
    vocabulary = Vocabulary.load()
    search_request, notes = search_request_parse(request.GET, vocabulary)
    results = course_search(search_request, learner=learner, vocabulary=vocabulary)
    paginator = CountedPaginator(results.courses, RESULTS_PER_PAGE, count=results.count)
    number, page_note = _page_number(request.GET.get("pagina"), paginator)
    if page_note:
        notes.append(page_note)
    page = paginator.page(number)
    cards = result_cards(page.object_list, results=results, learner=learner, http_request=request)
    params = request.GET.copy()
    params.pop("pagina", None)
    suggestion_params = params.copy()
    suggestion_params["q"] = results.suggestion
    today = timezone.localdate()
    return render(
        request,
        "catalog/search.html",
        {
            "search": search_request,
            "query": search_request.query,
            "suggestion": results.suggestion,
            "suggestion_query": suggestion_params.urlencode(),
            "corrected": results.corrected,
            "query_max_length": QUERY_MAX_LENGTH,
            "facets": results.facets,
            "upcoming_webinars": results.upcoming_webinars,
            "upcoming_url": f"?vorm=webinar&vanaf={today.isoformat()}",
            "active_filters": active_filters(request.GET, results.facets, search_request),
            "page": page,
            "cards": cards,
            "notes": notes,
            "sorts": [
                (value, label)
                for value, label in SORTS.items()
                if value != "afstand" or search_request.place is not None
            ],
            "places": PLACES,
            "distances": DISTANCES_KM,
            "page_query": params.urlencode(),
        },
    )


def row(request, slug):
    """One home-page row: the fragment the home page fetches, or a page of its own."""
    learner = learner_for(request)
    found = row_find(slug, learner)
    if found is None:
        raise Http404
    content = row_build(found, RowContext(learner=learner, request=request))
    if request.headers.get("HX-Request"):
        if content is None:
            return HttpResponse("")
        return render(request, "components/course_row.html", {"row": content})
    return render(request, "catalog/row_page.html", {"row": content, "title": found.title})


@require_POST
@login_required
def continue_watching_remove(request, course_id: int):
    playback_api.resume_dismiss(user_id=request.user.pk, course_id=course_id)
    if request.headers.get("HX-Request"):
        # In the card's place for a few seconds: what was removed, with its undo.
        cards = course_cards_for_ids([course_id], learner=learner_for(request), request=request)
        return render(request, "components/continue_undo.html", {"cards": cards})
    messages.success(request, _("Removed from Continue watching."))
    return redirect("/")


@require_POST
@login_required
def continue_watching_restore(request, course_id: int):
    """Undo a removal from Continue watching: the card comes back where it was."""
    playback_api.resume_undismiss(user_id=request.user.pk, course_id=course_id)
    if request.headers.get("HX-Request"):
        learner = learner_for(request)
        found = row_build(row_find("verder-kijken", learner), RowContext(learner, request))
        cards = [card for card in (found.cards if found else []) if card.id == course_id]
        return render(request, "components/continue_card.html", {"cards": cards})
    return redirect("/")


# A completion this recent is the one the episode that just ended brought about.
COMPLETED_NOW = timedelta(minutes=10)


@require_GET
@login_required
def course_complete(request, course_id: int):
    """Whether the episode that just ended completed the course, asked by the player (its last
    heartbeats are stored within a second or two): with the completion moment to show, as on
    the course page. Only the learner's own completion is ever told, and one from before is
    not celebrated again."""
    learner = learner_for(request)
    completion = course_completion(course_id=course_id, learner=learner)
    if completion is None or completion.completed_at < timezone.now() - COMPLETED_NOW:
        return JsonResponse({"completed_now": False})
    # The completing request may still be awarding its points: never a moment without them.
    completion = course_completion_awards_settled(completion=completion, learner=learner)
    html = render_to_string(
        "catalog/_course_complete.html", {"completion": completion}, request=request
    )
    return JsonResponse({"completed_now": True, "html": html})
