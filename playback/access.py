"""Who may watch what: every signed-in learner a free course; a paid course needs an enrolment."""

from catalog import api as catalog_api

from .models import Enrolment


def course_access(*, user, course_id: int, free: bool) -> bool:
    if not user.is_authenticated:
        return False
    if free or user.is_staff:
        return True
    return Enrolment.objects.filter(user=user, course_id=course_id).exists()


def episode_playable_for(*, user, episode_id: int) -> "catalog_api.PlayableEpisode | None":
    """The episode when it is live and this learner may watch it; None otherwise."""
    playable = catalog_api.episode_for_playback(episode_id)
    if playable is None:
        return None
    if not course_access(user=user, course_id=playable.course_id, free=playable.free):
        return None
    return playable
