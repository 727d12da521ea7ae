"""Writes the catalog makes on its own (editors write through Wagtail)."""

from dataclasses import dataclass

from .models import CoursePage, EpisodePage


def course_durations_refresh(*, video_id: int) -> int:
    """Work out again the length of every course with an episode showing this video."""
    course_paths = {
        EpisodePage.course_path_of(episode.path)
        for episode in EpisodePage.objects.filter(video_id=video_id).only("path")
    }
    courses = CoursePage.objects.filter(path__in=course_paths)
    for course in courses:
        minutes = course.episodes_minutes()
        if minutes and minutes != course.duration_minutes:
            CoursePage.objects.filter(pk=course.pk).update(duration_minutes=minutes)
    return len(course_paths)


@dataclass(frozen=True)
class EpisodeRef:
    id: int
    url: str
    title: str


def episode_recording_add(*, course_id: int, title: str, video_id: int, slug: str) -> EpisodeRef:
    """A published episode of the course showing a recorded video (a webinar's replay): the
    course's own access rules decide who watches it. Not required for the course's completion:
    taking part counted live. The same episode again when the video already has one there."""
    course = CoursePage.objects.get(pk=course_id)
    existing = EpisodePage.objects.child_of(course).filter(video_id=video_id).first()
    if existing is not None:
        return EpisodeRef(existing.pk, existing.get_url() or "", existing.title)
    taken = set(EpisodePage.objects.child_of(course).values_list("slug", flat=True))
    unique = next(s for s in (slug, *(f"{slug}-{n}" for n in range(2, 100))) if s not in taken)
    episode = EpisodePage(title=title[:255], slug=unique, video_id=video_id, required=False)
    episode.live = False
    course.add_child(instance=episode)
    episode.save_revision().publish()
    return EpisodeRef(episode.pk, episode.get_url() or "", episode.title)
