from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from .forms import QUERY_MAX_LENGTH, SearchForm
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
