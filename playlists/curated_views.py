"""Pages of the editors' curated learning paths: read, follow, copy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import curated as curated_paths
from .requests import path_url


def curated_detail(request, slug: str):
    """A learning path the editors composed, section by section."""
    curated = curated_paths.curated_live(slug)
    follows = (
        request.user.is_authenticated and curated.follows.filter(user_id=request.user.pk).exists()
    )
    return render(
        request,
        "playlists/curated.html",
        {
            "curated": curated,
            "sections": curated_paths.curated_sections(curated, request=request),
            "follows": follows,
        },
    )


@require_POST
@login_required
def curated_follow(request, slug: str):
    curated = curated_paths.curated_live(slug)
    if request.POST.get("volgen") == "0":
        curated_paths.curated_unfollow(curated=curated, user=request.user)
        messages.success(request, _("You no longer follow “%(title)s”.") % {"title": curated.title})
    else:
        curated_paths.curated_follow(curated=curated, user=request.user)
        messages.success(
            request, _("“%(title)s” is now in your library.") % {"title": curated.title}
        )
    return redirect("playlists:curated", slug=slug)


@require_POST
@login_required
def curated_copy(request, slug: str):
    copy = curated_paths.curated_copy(curated=curated_paths.curated_live(slug), owner=request.user)
    messages.success(request, _("This is your own copy; change it as you like."))
    return redirect(path_url(copy))
