"""End tests and required episodes as published, for playback's tests and completion."""

from dataclasses import dataclass
from functools import cached_property

from .models import CoursePage, EpisodePage, EpisodeQuestion


@dataclass(frozen=True)
class AnswerOption:
    id: str
    text: str
    correct: bool


@dataclass(frozen=True)
class Question:
    id: int
    text: str
    explanation: str
    options: tuple[AnswerOption, ...]

    @cached_property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(option.id for option in self.options if option.correct)

    @property
    def multiple(self) -> bool:
        return len(self.correct_ids) > 1


@dataclass(frozen=True)
class EndTest:
    episode_id: int
    title: str
    pass_mark_percent: int
    questions_per_attempt: int
    questions: tuple[Question, ...]
    max_attempts: int  # 0: any number
    retake_wait_hours: int  # after a failed attempt

    @cached_property
    def by_id(self) -> dict[int, Question]:
        return {question.id: question for question in self.questions}

    @property
    def attempt_size(self) -> int:
        pool = len(self.questions)
        return min(self.questions_per_attempt, pool) if self.questions_per_attempt else pool


def end_test_get(*, episode_id: int) -> EndTest | None:
    """The episode's end test as it is published (draft questions live only in revisions)."""
    episode = (
        EpisodePage.objects.filter(pk=episode_id)
        .values(
            "title",
            "pass_mark_percent",
            "questions_per_attempt",
            "max_attempts",
            "retake_wait_hours",
        )
        .first()
    )
    if episode is None:
        return None
    questions = []
    for row in EpisodeQuestion.objects.filter(episode_id=episode_id).order_by("sort_order", "pk"):
        options = tuple(
            AnswerOption(str(block.id), block.value["text"], bool(block.value["correct"]))
            for block in row.options
        )
        # A question no answer of which is right can never be passed; it is left out.
        if len(options) >= 2 and any(option.correct for option in options):
            questions.append(Question(row.pk, row.text, row.explanation, options))
    return EndTest(
        episode_id=episode_id,
        title=episode["title"],
        pass_mark_percent=episode["pass_mark_percent"],
        questions_per_attempt=episode["questions_per_attempt"],
        questions=tuple(questions),
        max_attempts=episode["max_attempts"],
        retake_wait_hours=episode["retake_wait_hours"],
    )


@dataclass(frozen=True)
class RequiredEpisode:
    episode_id: int
    has_questions: bool


def required_episodes(*, course_id: int) -> list[RequiredEpisode] | None:
    """The live required episodes of a live course; None when the course is not live or has no
    live episode at all."""
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        return None
    episodes = EpisodePage.objects.child_of(course).live()
    if not episodes.exists():
        return None
    ids = list(episodes.filter(required=True).values_list("pk", flat=True))
    with_questions = set(
        EpisodeQuestion.objects.filter(episode_id__in=ids).values_list("episode_id", flat=True)
    )
    return [RequiredEpisode(pk, pk in with_questions) for pk in ids]


@dataclass(frozen=True)
class RequiredVideo:
    """A video an on-demand course needs to be completable: that of one of its live required
    episodes, or (episode_id None) the episode the course does not have yet."""

    course_id: int
    course_title: str
    episode_id: int | None
    episode_title: str
    video_id: int | None


def _required_videos(course: CoursePage, episodes) -> list[RequiredVideo]:
    if not episodes:
        return [RequiredVideo(course.pk, course.title, None, "", None)]
    return [
        RequiredVideo(course.pk, course.title, episode.pk, episode.title, episode.video_id)
        for episode in episodes
        if episode.required
    ]


def required_videos_to_publish(*, page) -> list[RequiredVideo]:
    """What publishing this page asks to be ready: for an on-demand course, the videos of its live
    required episodes; for a required episode of a live on-demand course, its own video."""
    page = page.specific
    if isinstance(page, CoursePage):
        if page.format != CoursePage.Format.ON_DEMAND:
            return []
        return _required_videos(page, list(EpisodePage.objects.child_of(page).live()))
    if isinstance(page, EpisodePage) and page.required:
        course = CoursePage.objects.live().filter(path=EpisodePage.course_path_of(page.path))
        course = course.filter(format=CoursePage.Format.ON_DEMAND).first()
        if course is not None:
            return [RequiredVideo(course.pk, course.title, page.pk, page.title, page.video_id)]
    return []


def required_videos_of_live_courses() -> list[RequiredVideo]:
    """The videos every live on-demand course needs, in the courses' title order."""
    courses = list(
        CoursePage.objects.live().filter(format=CoursePage.Format.ON_DEMAND).order_by("title")
    )
    episodes: dict[str, list] = {}
    for episode in (
        EpisodePage.objects.live()
        .order_by("path")
        .only("pk", "title", "path", "depth", "required", "video_id")
    ):
        episodes.setdefault(EpisodePage.course_path_of(episode.path), []).append(episode)
    rows = []
    for course in courses:
        rows.extend(_required_videos(course, episodes.get(course.path, [])))
    return rows
