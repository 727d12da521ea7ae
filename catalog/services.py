"""Writes the catalog makes on its own (editors write through Wagtail)."""

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
