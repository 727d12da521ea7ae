from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from playback import api as playback_api

from .forms import QUERY_MAX_LENGTH, SearchForm
from .learners import learner_for
from .rows import RowContext, row_build, row_find
from .selectors import course_cards_search

RESULTS_PER_PAGE = 24


def search(request):
    data = request.GET.copy()
    notes = []
    if len(data.get("q", "")) > QUERY_MAX_LENGTH:
        data["q"] = data["q"][:QUERY_MAX_LENGTH]
        notes.append(
            _("Your search was shortened to %(count)s characters.") % {"count": QUERY_MAX_LENGTH}
        )
    form = SearchForm(data)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(course_cards_search(query=query), RESULTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "catalog/search.html",
        {"form": form, "query": query, "page": page, "notes": notes},
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
        return HttpResponse("")
    messages.success(request, _("Removed from Continue watching."))
    return redirect("/")
