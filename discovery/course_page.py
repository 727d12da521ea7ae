"""What a course page shows a learner: its episodes with how far they got with each."""

from dataclasses import dataclass

from catalog.api import minutes_from_seconds
from catalog.models import CoursePage, EpisodePage
from playback import api as playback_api


@dataclass(frozen=True)
class EpisodeLine:
    id: int
    title: str
    url: str
    minutes: int
    playable: bool
    watched_percent: int | None = None  # None: not started
    completed: bool = False


def course_episodes(*, course: CoursePage, user_id: int | None = None) -> list[EpisodeLine]:
    """The course's live episodes in order, with how far this learner got with each."""
    episodes = list(
        EpisodePage.objects.child_of(course)
        .live()
        .public()
        .select_related("video")
        .order_by("path")
    )
    watched = (
        playback_api.episodes_watched(user_id=user_id, episode_ids=[e.pk for e in episodes])
        if user_id
        else {}
    )
    lines = []
    for episode in episodes:
        progress = watched.get(episode.pk)
        lines.append(
            EpisodeLine(
                id=episode.pk,
                title=episode.title,
                url=episode.url,
                minutes=minutes_from_seconds(episode.video.duration) if episode.video else 0,
                playable=bool(episode.video and episode.video.is_playable),
                watched_percent=round(progress.fraction * 100) if progress else None,
                completed=bool(progress and progress.completed),
            )
        )
    return lines
