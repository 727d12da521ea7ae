"""What other apps may ask of the catalog."""

import math
from dataclasses import dataclass

from .end_tests import AnswerOption as AnswerOption
from .end_tests import EndTest as EndTest
from .end_tests import Question as Question
from .end_tests import RequiredEpisode as RequiredEpisode
from .end_tests import end_test_get as end_test_get
from .end_tests import required_episodes as required_episodes
from .models import CoursePage, EpisodeAttachment, EpisodePage, Profession


@dataclass(frozen=True)
class ProfessionData:
    id: int
    slug: str
    name: str
    big_reregistration: bool


def profession_list() -> list[ProfessionData]:
    return [
        ProfessionData(
            id=profession.id,
            slug=profession.slug,
            name=profession.display_name,
            big_reregistration=profession.big_reregistration,
        )
        for profession in Profession.objects.all()
    ]


@dataclass(frozen=True)
class Watchable:
    """A live course, or one live episode of it, that a learner may add to a learning path."""

    course_id: int
    episode_id: int | None
    title: str
    url: str
    minutes: int = 0


def watchable_get(*, course_id: int, episode_id: int | None = None) -> Watchable | None:
    course = CoursePage.objects.live().public().filter(pk=course_id).first()
    if course is None:
        return None
    if episode_id is None:
        return Watchable(course.pk, None, course.title, course.url)
    episode = EpisodePage.objects.child_of(course).live().public().filter(pk=episode_id).first()
    if episode is None:
        return None
    return Watchable(course.pk, episode.pk, episode.title, episode.url)


def watchables_get(pairs, *, request=None) -> dict[tuple[int, int | None], Watchable]:
    """Many at once: (course id, episode id or None) → what is still live."""
    pairs = list(pairs)
    courses = {
        course.pk: course
        for course in CoursePage.objects.live().public().filter(pk__in={c for c, _e in pairs})
    }
    episodes = {
        episode.pk: episode
        for episode in EpisodePage.objects.live()
        .public()
        .select_related("video")
        .filter(pk__in={e for _c, e in pairs if e is not None})
    }
    found = {}
    for course_id, episode_id in pairs:
        course = courses.get(course_id)
        if course is None:
            continue
        if episode_id is None:
            found[course_id, None] = Watchable(
                course_id, None, course.title, course.get_url(request), course.duration_minutes
            )
        elif episode_id in episodes and episodes[episode_id].path.startswith(course.path):
            episode = episodes[episode_id]
            minutes = math.ceil((episode.video.duration or 0) / 60) if episode.video else 0
            found[course_id, episode_id] = Watchable(
                course_id, episode_id, episode.title, episode.get_url(request), minutes
            )
    return found


def course_episode_watchables(course_ids, *, request=None) -> dict[int, list[Watchable]]:
    """Per live course, its live episodes that have a playable video, in course order."""
    courses = {
        course.path: course.pk
        for course in CoursePage.objects.live().public().filter(pk__in=list(course_ids))
    }
    from .selectors import episodes_of

    found: dict[int, list[Watchable]] = {course_id: [] for course_id in courses.values()}
    episodes = (
        episodes_of(courses)
        .live()
        .public()
        .filter(video__published_generation__isnull=False)
        .select_related("video")
        .order_by("path")
    )
    for episode in episodes:
        minutes = math.ceil((episode.video.duration or 0) / 60)
        course_id = courses[episode.course_path]
        found[course_id].append(
            Watchable(course_id, episode.pk, episode.title, episode.get_url(request), minutes)
        )
    return found


def course_cards_for_ids(ids: list[int], *, request):
    """Cards (plain data) for live courses, in the order given, as the catalog shows them."""
    from .cards import course_cards_for_ids as cards_for_ids
    from .learners import learner_for

    return cards_for_ids(ids, learner=learner_for(request), request=request)


def episode_courses(page_ids) -> dict[int, int]:
    """For the ids among these that are episodes: episode id → its course's id."""
    episodes = list(EpisodePage.objects.filter(pk__in=list(page_ids)).values_list("pk", "path"))
    step = EpisodePage.steplen
    courses = dict(
        CoursePage.objects.filter(path__in=[path[:-step] for _pk, path in episodes]).values_list(
            "path", "pk"
        )
    )
    return {pk: courses[path[:-step]] for pk, path in episodes if path[:-step] in courses}


def course_cover_squares(course_ids, *, size: int) -> dict[int, bytes]:
    """Square crops (around the focal point) of these courses' covers, as PNG bytes."""
    from .cards import course_card_queryset

    squares = {}
    for course in course_card_queryset().filter(pk__in=list(course_ids)):
        if course.cover_image is None:
            continue
        rendition = course.cover_image.get_rendition(f"fill-{size}x{size}|format-png")
        with rendition.file.open("rb") as handle:
            squares[course.pk] = handle.read()
    return squares


def course_ids_beyond_comfort_zone(
    *, user_id: int, profession_id: int | None, limit: int
) -> list[int]:
    """Courses in the competencies this learner has watched least (see the home page row)."""
    from .rows import comfort_zone_courses

    picked = comfort_zone_courses(user_id=user_id, profession_id=profession_id, limit=limit)
    return picked.course_ids if picked else []


@dataclass(frozen=True)
class PlayableEpisode:
    episode_id: int
    course_id: int
    video_id: int | None
    completion_share: float  # of the episode to watch for it to count as complete
    free: bool


def episode_for_playback(episode_id: int) -> PlayableEpisode | None:
    """A live, public episode with what playback needs of it and its course."""
    episode = EpisodePage.objects.live().public().filter(pk=episode_id).first()
    if episode is None:
        return None
    course = CoursePage.objects.live().public().filter(path=episode.path[: -EpisodePage.steplen])
    course = course.first()
    if course is None:
        return None
    return PlayableEpisode(
        episode.pk, course.pk, episode.video_id, course.completion_percent / 100, course.is_free
    )


def document_episode_ids(document_id: int) -> list[int]:
    """The episodes (live or not) that offer this document as an attachment; whoever may watch
    one of them may download it."""
    return list(
        EpisodeAttachment.objects.filter(document_id=document_id)
        .values_list("episode_id", flat=True)
        .distinct()
        .order_by("episode_id")
    )


@dataclass(frozen=True)
class ProviderContact:
    name: str
    website: str


def course_provider_get(*, course_id: int) -> ProviderContact | None:
    """Who offers the course, for a learner who needs to reach them."""
    course = CoursePage.objects.filter(pk=course_id).select_related("provider").first()
    if course is None or course.provider is None:
        return None
    return ProviderContact(course.provider.name, course.provider.website)
