"""Reading a learner's request to the learning paths' views: what they ask for and where they
go back to."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def positive_int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def item_from(data) -> tuple[int | None, int | None, bool]:
    """(course id, episode id, valid) from a form; an episode is optional."""
    course_id = positive_int(data.get("cursus"))
    episode_raw = data.get("aflevering") or None
    episode_id = positive_int(episode_raw) if episode_raw else None
    return course_id, episode_id, course_id is not None and (episode_raw is None or episode_id)


def back_to(request, fallback: str):
    """Back to the page the learner came from, if it is on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def path_url(path) -> str:
    return reverse("playlists:path", args=[path.pk])
