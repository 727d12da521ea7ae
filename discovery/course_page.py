"""What a course page shows the learner looking: the episodes with how far they got with each,
the one button that starts or continues the course, what completing it takes, the points it
earns in their registers, how to get access to a paid course and, once it is complete, what
they earned. Built in a fixed number of queries."""

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accreditation import api as accreditation_api
from catalog.api import (
    ProviderContact,
    clock_from_seconds,
    course_provider_get,
    minutes_from_seconds,
    rendition_url,
)
from catalog.models import CoursePage, EpisodePage, EpisodeQuestion
from playback import api as playback_api

from .learners import Learner

logger = logging.getLogger(__name__)

SPEAKER_PHOTO_SPEC = "fill-160x160|format-webp"


@dataclass(frozen=True)
class EpisodeLine:
    id: int
    title: str
    url: str
    minutes: int
    playable: bool
    required: bool = True
    has_test: bool = False
    watched_percent: int | None = None  # the share actually watched; None: not started
    watched_enough: bool = False  # the course's share of it watched
    test_passed: bool = False
    position: float = 0.0  # where the learner left off

    @property
    def counts(self) -> bool:
        """Done as completion counts it (✓): watched far enough and its test passed."""
        return self.watched_enough and (not self.has_test or self.test_passed)

    @property
    def completed(self) -> bool:
        """As ``counts``: an episode is never shown done before it counts."""
        return self.counts


class Play:
    """What the course page's main button does."""

    START = "start"  # nothing watched yet
    CONTINUE = "continue"  # where the learner left off, or the next episode to watch
    TEST = "test"  # everything watched: an end test is still to pass
    AGAIN = "again"  # the course is complete
    SIGN_IN = "sign_in"
    ACCESS = "access"  # a paid course the learner has no access to yet


@dataclass(frozen=True)
class PlayButton:
    kind: str
    url: str
    episode_title: str = ""
    at_seconds: int = 0  # where a continued episode resumes

    @property
    def clock(self) -> str:
        return clock_from_seconds(self.at_seconds)


@dataclass(frozen=True)
class EndTestRule:
    episode_title: str
    pass_mark_percent: int


@dataclass(frozen=True)
class CompletionRules:
    """What completing the course takes, from its own settings."""

    watch_percent: int
    required_episodes: int
    optional_episodes: int
    tests: tuple[EndTestRule, ...] = ()


@dataclass(frozen=True)
class RegisterPoints:
    register: str
    points: Decimal | None  # None: not accredited in this register the learner is in
    category: str = ""
    activity_id: str = ""


@dataclass(frozen=True)
class Completion:
    """The learner completed the course: when, the points awarded, the certificate."""

    course_id: int
    completed_at: datetime
    awards: tuple[accreditation_api.CourseAward, ...]
    certificate: accreditation_api.CourseCertificate | None


@dataclass(frozen=True)
class AccessPath:
    """How a learner gets into a paid course: a voucher, or asking the employer or provider."""

    voucher_url: str
    provider: ProviderContact | None


@dataclass(frozen=True)
class CoursePageView:
    episodes: list[EpisodeLine]
    play: PlayButton | None
    rules: CompletionRules | None
    points: list[RegisterPoints]
    # True: the points are those of the learner's registers; False: every accreditation.
    points_for_learner: bool = False
    completion: Completion | None = None
    access: AccessPath | None = None
    signup_url: str = ""
    done_count: int = 0
    required_count: int = 0


def course_episodes(*, course: CoursePage, user_id: int | None = None) -> list[EpisodeLine]:
    """The course's live episodes in order, with how far this learner got with each."""
    episodes = list(
        EpisodePage.objects.child_of(course)
        .live()
        .public()
        .select_related("video")
        .annotate(has_test=Exists(EpisodeQuestion.objects.filter(episode_id=OuterRef("pk"))))
        .order_by("path")
    )
    ids = [episode.pk for episode in episodes]
    watched = playback_api.episodes_watched(user_id=user_id, episode_ids=ids) if user_id else {}
    tested = [episode.pk for episode in episodes if episode.has_test]
    passed = (
        playback_api.episode_ids_test_passed(user_id=user_id, episode_ids=tested)
        if user_id and tested
        else set()
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
                required=episode.required,
                has_test=episode.has_test,
                watched_percent=round(progress.fraction * 100) if progress else None,
                watched_enough=bool(progress and progress.completed),
                test_passed=episode.pk in passed,
                position=progress.position if progress else 0.0,
            )
        )
    return lines


def course_page_view(*, course: CoursePage, user, learner: Learner) -> CoursePageView:
    episodes = course_episodes(course=course, user_id=learner.user_id)
    signed_in = learner.is_signed_in
    has_access = signed_in and playback_api.course_access(
        user=user, course_id=course.pk, free=course.is_free
    )
    completion = course_completion(course_id=course.pk, learner=learner) if signed_in else None
    required = [episode for episode in episodes if episode.required]
    points, for_learner = _points(course, learner)
    return CoursePageView(
        episodes=episodes,
        play=_play_button(course, episodes, signed_in, has_access, completion is not None),
        rules=_rules(course, episodes),
        points=points,
        points_for_learner=for_learner,
        completion=completion,
        access=_access_path(course) if signed_in and not has_access else None,
        signup_url=f"{reverse('account_signup')}?{urlencode({'next': course.url})}",
        done_count=sum(episode.counts for episode in required),
        required_count=len(required),
    )


def _play_button(course, episodes, signed_in, has_access, complete) -> PlayButton | None:
    playable = [episode for episode in episodes if episode.playable]
    if course.format != CoursePage.Format.ON_DEMAND or not playable:
        return None
    if not signed_in:
        login = f"{reverse('account_login')}?{urlencode({'next': course.url})}"
        return PlayButton(Play.SIGN_IN, login)
    if not has_access:
        return PlayButton(Play.ACCESS, "#toegang")
    if complete:
        return PlayButton(Play.AGAIN, playable[0].url, playable[0].title)
    started = [episode for episode in playable if episode.watched_percent is not None]
    # Where the learner left off: the last episode they were in the middle of.
    halfway = [e for e in started if not e.watched_enough and e.position > 0]
    if halfway:
        episode = halfway[-1]
        at = int(episode.position)
        return PlayButton(Play.CONTINUE, f"{episode.url}?t={at}", episode.title, at)
    kind = Play.CONTINUE if started else Play.START
    required = [e for e in playable if e.required and not e.watched_enough]
    if required:
        return PlayButton(kind, required[0].url, required[0].title)
    untested = [e for e in playable if e.has_test and not e.test_passed]
    if untested:
        test_url = reverse("playback:test", kwargs={"episode_id": untested[0].id})
        return PlayButton(Play.TEST, test_url, untested[0].title)
    optional = [e for e in playable if not e.watched_enough]
    if optional:
        return PlayButton(kind, optional[0].url, optional[0].title)
    return PlayButton(Play.AGAIN, playable[0].url, playable[0].title)


def _rules(course: CoursePage, episodes: list[EpisodeLine]) -> CompletionRules | None:
    if course.format != CoursePage.Format.ON_DEMAND or not episodes:
        return None
    required = [episode for episode in episodes if episode.required]
    pass_marks = dict(
        EpisodePage.objects.filter(pk__in=[e.id for e in required if e.has_test]).values_list(
            "pk", "pass_mark_percent"
        )
    )
    return CompletionRules(
        watch_percent=course.completion_percent,
        required_episodes=len(required),
        optional_episodes=len(episodes) - len(required),
        tests=tuple(
            EndTestRule(episode.title, pass_marks[episode.id])
            for episode in required
            if episode.id in pass_marks
        ),
    )


def _points(course: CoursePage, learner: Learner) -> tuple[list[RegisterPoints], bool]:
    """The points in the learner's registers (noting those the course earns nothing in), or
    for a visitor and a learner without registers, every accreditation."""
    lines = accreditation_api.course_accreditation_lines(
        course_id=course.pk, on=timezone.localdate()
    )
    every = [
        RegisterPoints(x.display_register, x.points, x.display_category, x.activity_id)
        for x in lines
    ]
    if not learner.register_ids:
        return every, False
    by_register = {line.register_id: line for line in lines}
    points = []
    for register in accreditation_api.register_list():
        if register.id not in learner.register_ids or not register.counts_points:
            continue
        line = by_register.get(register.id)
        if line is None:
            points.append(RegisterPoints(register.display_short_name, None))
        else:
            points.append(
                RegisterPoints(
                    line.display_register, line.points, line.display_category, line.activity_id
                )
            )
    return points, True


def course_completion(*, course_id: int, learner: Learner) -> Completion | None:
    """The learner's completion of a course with what it earned them; None if not complete."""
    if not learner.is_signed_in:
        return None
    done = playback_api.course_completion_get(user_id=learner.user_id, course_id=course_id)
    if done is None:
        return None
    return Completion(
        course_id=course_id,
        completed_at=done.completed_at,
        awards=tuple(accreditation_api.course_awards(user_id=learner.user_id, course_id=course_id)),
        certificate=accreditation_api.course_certificate(
            user_id=learner.user_id, course_id=course_id
        ),
    )


def course_completion_awards_settled(*, completion: Completion, learner: Learner) -> Completion:
    """The completion with its points and certificate, also while the request that completed
    the course is still awarding them after its commit: a completion without them is reported
    again first (accreditation awards and issues each once, however often it is told). A report
    that fails leaves the completion as it stands, logged, as the completing request's would."""
    if completion.awards and completion.certificate is not None:
        return completion
    try:
        playback_api.course_completion_report(
            user_id=learner.user_id,
            course_id=completion.course_id,
            completed_at=completion.completed_at,
        )
    except Exception:
        logger.exception("Reporting the completion of course %s again failed", completion.course_id)
        return completion
    return course_completion(course_id=completion.course_id, learner=learner) or completion


@dataclass(frozen=True)
class SpeakerLine:
    name: str
    role: str
    bio: str
    photo_url: str | None


def course_speakers(*, course: CoursePage) -> list[SpeakerLine]:
    """The course's speakers in the editors' order, with a small square photo."""
    rows = course.speakers.select_related("speaker__photo").order_by("sort_order", "pk")
    speakers = []
    for row in rows:
        speaker = row.speaker
        photo = rendition_url(speaker.photo, SPEAKER_PHOTO_SPEC) if speaker.photo else None
        speakers.append(SpeakerLine(speaker.name, speaker.role, speaker.bio, photo))
    return speakers


def _access_path(course: CoursePage) -> AccessPath:
    return AccessPath(
        voucher_url=reverse("playback:voucher_redeem"),
        provider=course_provider_get(course_id=course.pk),
    )
