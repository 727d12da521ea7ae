"""During "play all" an episode's URL names the path it is played in: built and read here."""

PATH_PARAMETER = "leerpad"


def url_in_path(url: str, path_id: int) -> str:
    """An episode's URL that keeps the learner in the path ("play all")."""
    return f"{url}?{PATH_PARAMETER}={path_id}"


def path_id_from(request) -> int | None:
    """The path an episode page is played in, from its URL; None outside "play all"."""
    value = request.GET.get(PATH_PARAMETER, "")
    return int(value) if value.isdigit() and len(value) < 19 else None
