"""The items of a learning path: the "+" menu that adds a course or episode, removing and
moving items, opening one, and playing the whole path."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from catalog import api as catalog_api
from playback import api as playback_api

from . import selectors, services
from .play_all import url_in_path
from .requests import back_to, item_from, path_url, positive_int, wants_json


@login_required
def add_menu(request):
    """The "+" menu: the learner's paths to add a course or episode to, and a new path."""
    course_id, episode_id, valid = item_from(request.GET)
    if not valid:
        return HttpResponseBadRequest(_("Say which course to add."))
    context = {
        "course_id": course_id,
        "episode_id": episode_id,
        "choices": selectors.path_choices(
            user=request.user, course_id=course_id, episode_id=episode_id
        ),
        "next": request.GET.get("next", ""),
    }
    template = (
        "playlists/_add_menu.html"
        if request.headers.get("HX-Request")
        else ("playlists/add_menu_page.html")
    )
    return render(request, template, context)


@require_POST
@login_required
def item_add(request, path_id: int):
    path, _access = selectors.path_for(user=request.user, path_id=path_id, need="write")
    course_id, episode_id, valid = item_from(request.POST)
    if not valid:
        return HttpResponseBadRequest(_("Say which course to add."))
    try:
        if "na" in request.POST:  # undoing a removal: back in its place
            after_id = positive_int(request.POST["na"])
            services.path_item_put_back(
                path=path,
                actor=request.user,
                course_id=course_id,
                episode_id=episode_id,
                after_id=after_id,
            )
        else:
            services.path_item_add(
                path=path, actor=request.user, course_id=course_id, episode_id=episode_id
            )
    except services.PathRefused as refused:
        if request.headers.get("HX-Request"):
            return render(
                request, "playlists/_add_result.html", {"error": refused.message}, status=409
            )
        messages.error(request, refused.message)
        return back_to(request, path_url(path))
    if request.headers.get("HX-Request"):
        return render(request, "playlists/_add_result.html", {"path": path})
    messages.success(request, _("Added to “%(title)s”.") % {"title": path.title})
    return back_to(request, path_url(path))


@require_POST
@login_required
def item_remove(request, path_id: int, item_id: int):
    path, _access = selectors.path_for(user=request.user, path_id=path_id, need="write")
    place = selectors.path_item_place(path=path, item_id=item_id, request=request)
    if services.path_item_remove(path=path, item_id=item_id) and place:
        request.session[f"path-removed-{path.pk}"] = place  # offered back once, on the path
    if wants_json(request):
        return JsonResponse({"order": services.path_order(path)})
    return redirect(path_url(path))


@require_POST
@login_required
def item_move(request, path_id: int, item_id: int):
    """Move an item after another (``na``, empty for first) or one step (``stap`` -1 or 1).
    A move that names items no longer in the path is refused with the current order (409)."""
    path, _access = selectors.path_for(user=request.user, path_id=path_id, need="write")
    try:
        if "stap" in request.POST:
            step = {"-1": -1, "1": 1}.get(request.POST["stap"])
            if step is None:
                return HttpResponseBadRequest(_("A step is -1 or 1."))
            services.path_item_step(path=path, item_id=item_id, step=step)
        else:
            after_raw = request.POST.get("na", "")
            after_id = positive_int(after_raw) if after_raw else None
            if after_raw and after_id is None:
                return HttpResponseBadRequest(_("Say after which item to put it."))
            services.path_item_move(path=path, item_id=item_id, after_id=after_id)
    except services.OrderChanged as changed:
        if wants_json(request):
            message = _("The path changed in the meantime; this is its order now.")
            return JsonResponse({"order": changed.order, "message": message}, status=409)
        messages.error(request, _("The path changed in the meantime; look at it again."))
        return redirect(path_url(path))
    if wants_json(request):
        return JsonResponse({"order": services.path_order(path)})
    return redirect(path_url(path))


@login_required
def path_play_all(request, path_id: int):
    """Start "play all": the first episode not yet watched, or the first when all were; the
    courses the learner has no access to are skipped, and said so."""
    path, _access = selectors.path_for(user=request.user, path_id=path_id, need="read")
    play = selectors.path_play_order(path=path, user=request.user, request=request)
    if play.skipped_courses:
        messages.info(
            request,
            ngettext(
                "%(count)d course skipped: no access.",
                "%(count)d courses skipped: no access.",
                play.skipped_courses,
            )
            % {"count": play.skipped_courses},
        )
    order = play.episodes
    if not order:
        messages.info(request, _("This path has nothing to play yet."))
        return redirect("playlists:path", path_id=path.pk)
    watched = playback_api.episodes_watched(
        user_id=request.user.pk, episode_ids=[w.episode_id for w in order]
    )
    unwatched = (
        w for w in order if not (w.episode_id in watched and watched[w.episode_id].completed)
    )
    first = next(unwatched, order[0])
    services.path_played(path=path, user=request.user)
    return redirect(url_in_path(first.url, path.pk))


@login_required
def item_open(request, path_id: int, item_id: int):
    """Open a course or episode from a path, remembering when the learner last played it."""
    path, _access = selectors.path_for(user=request.user, path_id=path_id, need="read")
    item = path.items.filter(pk=item_id).values_list("course_id", "episode_id").first()
    if item is None:
        raise Http404
    found = catalog_api.watchable_get(course_id=item[0], episode_id=item[1])
    if found is None:
        raise Http404
    services.path_played(path=path, user=request.user)
    return redirect(found.url)
