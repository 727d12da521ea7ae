"""What other apps may ask of the catalog."""

from dataclasses import dataclass

from .covers import COVER_SPEC as COVER_SPEC
from .covers import COVER_SPECS as COVER_SPECS
from .covers import rendition_url as rendition_url
from .durations import clock_from_seconds as clock_from_seconds
from .durations import minutes_from_seconds as minutes_from_seconds
from .end_tests import AnswerOption as AnswerOption
from .end_tests import EndTest as EndTest
from .end_tests import Question as Question
from .end_tests import RequiredEpisode as RequiredEpisode
from .end_tests import RequiredVideo as RequiredVideo
from .end_tests import end_test_get as end_test_get
from .end_tests import required_episodes as required_episodes
from .end_tests import required_videos_of_live_courses as required_videos_of_live_courses
from .end_tests import required_videos_to_publish as required_videos_to_publish
from .models import CoursePage, EpisodeAttachment, EpisodePage, Profession
from .selectors import Chapter as Chapter
from .selectors import NextEpisode as NextEpisode
from .selectors import TextMatch as TextMatch
from .selectors import course_text_match as course_text_match
from .selectors import episodes_of as episodes_of
from .selectors import search_query_suggestion as search_query_suggestion
from .services import EpisodeRef as EpisodeRef
from .services import course_durations_refresh as course_durations_refresh
from .services import episode_recording_add as episode_recording_add
from .signals import search_documents_batched as search_documents_batched
from .spoken import Cue as Cue
from .spoken import SpokenHit as SpokenHit
from .spoken import spoken_hits as spoken_hits
from .spoken import video_ids_with_spoken_lines as video_ids_with_spoken_lines
from .spoken import video_spoken_lines_replace as video_spoken_lines_replace


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
            minutes = minutes_from_seconds(episode.video.duration) if episode.video else 0
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
        minutes = minutes_from_seconds(episode.video.duration)
        course_id = courses[episode.course_path]
        found[course_id].append(
            Watchable(course_id, episode.pk, episode.title, episode.get_url(request), minutes)
        )
    return found


def episode_courses(page_ids) -> dict[int, int]:
    """For the ids among these that are episodes: episode id → its course's id."""
    episodes = list(EpisodePage.objects.filter(pk__in=list(page_ids)).values_list("pk", "path"))
    course_paths = {pk: EpisodePage.course_path_of(path) for pk, path in episodes}
    courses = dict(
        CoursePage.objects.filter(path__in=course_paths.values()).values_list("path", "pk")
    )
    return {pk: courses[path] for pk, path in course_paths.items() if path in courses}


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
    course = (
        CoursePage.objects.live().public().filter(path=EpisodePage.course_path_of(episode.path))
    )
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
class CourseHeading:
    title: str
    provider: str


def course_heading_get(*, course_id: int) -> CourseHeading | None:
    """A course's title and provider as a certificate states them; None once it is deleted."""
    course = CoursePage.objects.filter(pk=course_id).select_related("provider").first()
    if course is None:
        return None
    return CourseHeading(course.title, course.provider.name if course.provider else "")


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


@dataclass(frozen=True)
class CourseEventFacts:
    """What registering for a session of a course and its invitation need of the course."""

    id: int
    title: str
    url: str
    format: str  # CoursePage.Format: "webinar", "classroom" or "on_demand"
    venue: str
    address: str
    provider: str
    provider_website: str
    live: bool
    free: bool = True  # False: only learners with access to the course (enrolled) take part

    @property
    def paid_webinar(self) -> bool:
        """Only learners with access to the course (enrolled) take part in its sessions."""
        return self.format == "webinar" and not self.free


def course_event_facts(course_ids) -> dict[int, CourseEventFacts]:
    courses = CoursePage.objects.filter(pk__in=list(course_ids)).select_related("provider")
    return {
        course.pk: CourseEventFacts(
            id=course.pk,
            title=course.title,
            url=course.get_url() or "",
            format=course.format,
            venue=course.venue,
            address=course.address,
            provider=course.provider.name if course.provider else "",
            provider_website=course.provider.website if course.provider else "",
            live=course.live,
            free=course.is_free,
        )
        for course in courses
    }
