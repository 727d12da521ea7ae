from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from catalog import api as catalog_api
from playback import api as playback_api

from . import covers, selectors, services
from . import curated as curated_paths
from .play_all import url_in_path


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _item_from(data) -> tuple[int | None, int | None, bool]:
    """(course id, episode id, valid) from a form; an episode is optional."""
    course_id = _int(data.get("cursus"))
    episode_raw = data.get("aflevering") or None
    episode_id = _int(episode_raw) if episode_raw else None
    return course_id, episode_id, course_id is not None and (episode_raw is None or episode_id)


@login_required
def library(request):
    sort = request.GET.get("sorteer", "gewijzigd")
    if sort not in selectors.LIBRARY_SORTS:
        sort = "gewijzigd"
    library_ = selectors.library_get(user=request.user, request=request, sort=sort)
    sections = [
        (_("Made for you"), library_.made_for_you),
        (_("My paths"), library_.own),
        (_("Together with colleagues"), library_.together),
        (_("Following"), library_.followed),
    ]
    curated = curated_paths.curated_tiles(featured_only=False, user_id=request.user.pk)
    return render(
        request,
        "playlists/library.html",
        {
            "library": library_,
            "sections": sections,
            "curated": curated,
            "sort": sort,
            "sorts": [
                ("gewijzigd", _("Recently changed")),
                ("afgespeeld", _("Recently played")),
                ("titel", _("Title")),
            ],
        },
    )


@login_required
def add_menu(request):
    """The "+" menu: the learner's paths to add a course or episode to, and a new path."""
    course_id, episode_id, valid = _item_from(request.GET)
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


def _back(request, fallback: str):
    """Back to the page the learner came from, if it is on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@require_POST
@login_required
def path_new(request):
    try:
        path = services.path_create(
            owner=request.user,
            title=request.POST.get("title", ""),
            description=request.POST.get("description", ""),
        )
    except services.PathRefused as refused:
        messages.error(request, refused.message)
        return _back(request, "playlists:library")
    course_id, episode_id, valid = _item_from(request.POST)
    if valid:
        try:
            services.path_item_add(
                path=path, actor=request.user, course_id=course_id, episode_id=episode_id
            )
        except services.PathRefused as refused:
            messages.error(request, refused.message)
    messages.success(request, _("Learning path “%(title)s” made.") % {"title": path.title})
    if valid:
        return _back(request, path_url(path))
    return redirect(path_url(path))


def path_url(path) -> str:
    return reverse("playlists:path", args=[path.pk])


def _path_page(request, path, access, *, token: str = ""):
    entries, gone = selectors.path_entries(path=path, request=request)
    share_url = request.build_absolute_uri(reverse("playlists:shared", args=[path.share_token]))
    return render(
        request,
        "playlists/path.html",
        {
            "path": path,
            "access": access,
            "entries": entries,
            "progress": selectors.path_progress(entries),
            "gone": gone,
            "is_owner": access.own,
            "owner_name": path.owner.public_name,
            "can_write": access.write,
            "token": token,
            "share_url": share_url if access.own else "",
            "people": selectors.path_people(path) if access.write else [],
            "invite_url": request.session.pop(f"path-invite-{path.pk}", "") if access.own else "",
            "removed": request.session.pop(f"path-removed-{path.pk}", None)
            if access.write
            else None,
            "visibilities": path.Visibility.choices,
        },
    )


@login_required
def path_detail(request, path_id: int):
    path, access = selectors.path_for(user=request.user, path_id=path_id, need="read")
    return _path_page(request, path, access)


def path_shared(request, token: str):
    """A path opened through its share link; a visitor who is not signed in sees a preview and
    is asked to sign up or sign in."""
    path = selectors.path_by_share_token(token)
    if not request.user.is_authenticated:
        entries, _gone = selectors.path_entries(path=path, request=request)
        return render(
            request,
            "playlists/path_preview.html",
            {
                "path": path,
                "entries": entries,
                "minutes": sum(entry.minutes for entry in entries),
                "owner_name": path.owner.public_name,
            },
        )
    access = selectors.path_access(user=request.user, path=path, token=token)
    return _path_page(request, path, access, token=token)


@require_POST
@login_required
def path_follow(request, path_id: int):
    path, _access = selectors.path_for(
        user=request.user, path_id=path_id, need="read", token=request.POST.get("token")
    )
    try:
        services.path_follow(path=path, user=request.user)
    except services.PathRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("“%(title)s” is now in your library.") % {"title": path.title})
    return redirect(path_url(path))


@require_POST
@login_required
def path_unfollow(request, path_id: int):
    path, _access = selectors.path_for(user=request.user, path_id=path_id, need="read")
    services.path_unfollow(path=path, user=request.user)
    messages.success(request, _("You no longer follow “%(title)s”.") % {"title": path.title})
    return redirect("playlists:library")


@require_POST
@login_required
def path_duplicate(request, path_id: int):
    path, _access = selectors.path_for(
        user=request.user, path_id=path_id, need="read", token=request.POST.get("token")
    )
    copy = services.path_duplicate(path=path, owner=request.user)
    messages.success(request, _("This is your own copy; change it as you like."))
    return redirect(path_url(copy))


@require_POST
@login_required
def path_link_renew(request, path_id: int):
    path, _access = selectors.path_for(user=request.user, path_id=path_id, need="own")
    services.path_share_link_renew(path=path)
    messages.success(request, _("The old link no longer works; share the new one."))
    return redirect(path_url(path))


@require_POST
@login_required
def path_invite(request, path_id: int):
    path, _access = selectors.path_for(user=request.user, path_id=path_id, need="own")
    invite = services.path_invite_create(path=path, by=request.user)
    request.session[f"path-invite-{path.pk}"] = request.build_absolute_uri(
        reverse("playlists:invitation", args=[invite.token])
    )
    return redirect(path_url(path))


@login_required
def invitation(request, token: str):
    """An invitation to work on a colleague's path: shown, then accepted with a POST."""
    if request.method == "POST":
        try:
            path = services.path_invite_accept(token=token, user=request.user)
        except services.PathRefused as refused:
            return render(request, "playlists/invitation.html", {"error": refused.message})
        messages.success(request, _("You now work on “%(title)s”.") % {"title": path.title})
        return redirect(path_url(path))
    invite = selectors.invite_get(token)
    return render(request, "playlists/invitation.html", {"invite": invite})


@require_POST
@login_required
def collaborator_remove(request, path_id: int, user_id: int):
    path, _access = selectors.path_for(user=request.user, path_id=path_id, need="own")
    services.path_collaborator_remove(path=path, user_id=user_id)
    return redirect(path_url(path))


@require_POST
@login_required
def path_edit(request, path_id: int):
    path, _access = selectors.path_for(user=request.user, path_id=path_id, need="own")
    try:
        services.path_update(
            path=path,
            title=request.POST.get("title", ""),
            description=request.POST.get("description", ""),
            visibility=request.POST.get("visibility", path.visibility),
        )
        if request.POST.get("cover_remove"):
            covers.path_cover_remove(path=path)
        if request.FILES.get("cover"):
            covers.path_cover_upload(path=path, upload=request.FILES["cover"])
    except (services.PathRefused, covers.CoverRefused) as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Saved."))
    return redirect(path_url(path))


@require_POST
@login_required
def path_delete(request, path_id: int):
    path, _access = selectors.path_for(user=request.user, path_id=path_id, need="own")
    title = path.title
    path.delete()
    messages.success(request, _("Learning path “%(title)s” deleted.") % {"title": title})
    return redirect("playlists:library")


@require_POST
@login_required
def item_add(request, path_id: int):
    path, _access = selectors.path_for(user=request.user, path_id=path_id, need="write")
    course_id, episode_id, valid = _item_from(request.POST)
    if not valid:
        return HttpResponseBadRequest(_("Say which course to add."))
    try:
        if "na" in request.POST:  # undoing a removal: back in its place
            after_id = _int(request.POST["na"])
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
        return _back(request, path_url(path))
    if request.headers.get("HX-Request"):
        return render(request, "playlists/_add_result.html", {"path": path})
    messages.success(request, _("Added to “%(title)s”.") % {"title": path.title})
    return _back(request, path_url(path))


@require_POST
@login_required
def item_remove(request, path_id: int, item_id: int):
    path, _access = selectors.path_for(user=request.user, path_id=path_id, need="write")
    place = selectors.path_item_place(path=path, item_id=item_id, request=request)
    if services.path_item_remove(path=path, item_id=item_id) and place:
        request.session[f"path-removed-{path.pk}"] = place  # offered back once, on the path
    if _wants_json(request):
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
            after_id = _int(after_raw) if after_raw else None
            if after_raw and after_id is None:
                return HttpResponseBadRequest(_("Say after which item to put it."))
            services.path_item_move(path=path, item_id=item_id, after_id=after_id)
    except services.OrderChanged as changed:
        if _wants_json(request):
            message = _("The path changed in the meantime; this is its order now.")
            return JsonResponse({"order": changed.order, "message": message}, status=409)
        messages.error(request, _("The path changed in the meantime; look at it again."))
        return redirect(path_url(path))
    if _wants_json(request):
        return JsonResponse({"order": services.path_order(path)})
    return redirect(path_url(path))


@login_required
def profile(request, user_id: int):
    """A learner's public paths; 404 for anyone who has none."""
    found = selectors.path_profile_get(owner_id=user_id, request=request)
    return render(request, "playlists/profile.html", {"name": found.name, "paths": found.paths})


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
