from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import covers, selectors, services
from . import curated as curated_paths
from .requests import back_to, item_from, path_url


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
        return back_to(request, "playlists:library")
    course_id, episode_id, valid = item_from(request.POST)
    if valid:
        try:
            services.path_item_add(
                path=path, actor=request.user, course_id=course_id, episode_id=episode_id
            )
        except services.PathRefused as refused:
            messages.error(request, refused.message)
    messages.success(request, _("Learning path “%(title)s” made.") % {"title": path.title})
    if valid:
        return back_to(request, path_url(path))
    return redirect(path_url(path))


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


@login_required
def profile(request, user_id: int):
    """A learner's public paths; 404 for anyone who has none."""
    found = selectors.path_profile_get(owner_id=user_id, request=request)
    return render(request, "playlists/profile.html", {"name": found.name, "paths": found.paths})
