"""What the player on an episode page needs: whether this learner can watch, and how.

A player is only ever handed short-lived URLs: a master playlist signed for this learner, and
captions and seek thumbnails signed for about as long as the lecture takes to watch.
"""

import math
from dataclasses import dataclass, field

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalog.api import Chapter, NextEpisode

from .access import course_access
from .delivery import master_url, segment_ttl_for, segment_url, thumbnails_url
from .models import Video, ViewingProgress
from .services.preferences import PLAYBACK_SPEEDS, WatchingPreference, playback_preference_get


class PlayerState:
    READY = "ready"
    PROCESSING = "processing"
    FAILED = "failed"
    NO_VIDEO = "no_video"
    SIGN_IN = "sign_in"
    NO_ACCESS = "no_access"


MESSAGES = {
    PlayerState.PROCESSING: _(
        "This video is still being prepared. Come back in a few minutes: it is ready soon."
    ),
    PlayerState.FAILED: _(
        "This video could not be prepared. The editors have been told; try again later."
    ),
    PlayerState.NO_VIDEO: _("This episode has no video yet."),
    PlayerState.SIGN_IN: _("Sign in to watch this episode."),
    PlayerState.NO_ACCESS: _(
        "This is a paid course. You can watch it once you are enrolled, for instance with a "
        "voucher code from your employer."
    ),
}
# What the player script says, in the learner's language.
SCRIPT_STRINGS = {
    "play": _("Play"),
    "pause": _("Pause"),
    "auto": _("Automatic"),
    "expired": _("This link to the video has expired. Reload the page to go on watching."),
    "network": _("The connection is lost. Trying again…"),
    "failed": _("This video cannot be played in this browser."),
    "unsupported": _("This browser cannot play streaming video. Try a current browser."),
    "fullscreen": _("Full screen"),
    "fullscreenExit": _("Leave full screen"),
    # {title} and {seconds} are filled in by the player.
    "nextSoon": _("Next episode: {title}. It starts in {seconds} seconds."),
    "nextCancelled": _("The next episode does not start by itself."),
    "linesFoundOne": _("1 line found"),
    "linesFound": _("{count} lines found"),
}
# Signed poster and caption URLs are handed to every learner of a video for this long.
MEDIA_URLS_REUSED_SECONDS = 60
# Closer to the end than this, a learner starts again from the beginning.
RESUME_TAIL_SECONDS = 10


@dataclass(frozen=True)
class CaptionTrack:
    language: str
    label: str
    url: str


@dataclass
class Player:
    state: str
    episode_id: int
    course_id: int
    message: str = ""
    master_url: str = ""
    poster_url: str = ""
    duration: float = 0
    start_at: float = 0
    captions: list[CaptionTrack] = field(default_factory=list)
    thumbnails_url: str = ""
    chapters: list[Chapter] = field(default_factory=list)
    next_episode: NextEpisode | None = None
    preference: WatchingPreference = field(default_factory=WatchingPreference)

    @property
    def speeds(self) -> tuple[float, ...]:
        return PLAYBACK_SPEEDS

    @property
    def ready(self) -> bool:
        return self.state == PlayerState.READY

    @property
    def strings(self) -> dict:
        return SCRIPT_STRINGS

    def config(self) -> dict:
        """What the player script reads (through json_script)."""
        return {
            "episode": self.episode_id,
            "master": self.master_url,
            "duration": self.duration,
            "startAt": self.start_at,
            "thumbnails": self.thumbnails_url,
            "chapters": [{"start": c.start, "title": c.title} for c in self.chapters],
            "next": {"url": self.next_episode.url, "title": self.next_episode.title}
            if self.next_episode
            else None,
            "sessionUrl": reverse("playback:session_start"),
            "heartbeatUrl": reverse("playback:heartbeat"),
            # What the learner chose before, on any device; None where they never chose.
            "preferences": {"speed": self.preference.speed, "captions": self.preference.captions},
            "preferenceUrl": reverse("playback:preference_save"),
        }


def player_for(
    *,
    user,
    episode_id: int,
    course_id: int,
    video_id: int | None,
    free: bool,
    chapters: list[Chapter],
    next_episode: NextEpisode | None,
    requested_start: str | None = None,
) -> Player:
    base = {"episode_id": episode_id, "course_id": course_id, "next_episode": next_episode}
    video = (
        # Not the probe result or error details: they can be large and the player needs neither.
        Video.objects.defer("probe", "error_detail", "reason_params", "source")
        .filter(pk=video_id)
        .first()
        if video_id
        else None
    )
    if video is None:
        return _refused(PlayerState.NO_VIDEO, base)
    if not video.is_playable:
        failed = video.state in (Video.State.FAILED, Video.State.REJECTED)
        return _refused(PlayerState.FAILED if failed else PlayerState.PROCESSING, base)
    if not user.is_authenticated:
        return _refused(PlayerState.SIGN_IN, base)
    if not course_access(user=user, course_id=course_id, free=free):
        return _refused(PlayerState.NO_ACCESS, base)
    duration = video.duration or 0
    ttl = segment_ttl_for(duration)
    media = _shared_media(video, ttl)
    paid_course_id = None if free else course_id
    return Player(
        state=PlayerState.READY,
        master_url=master_url(video=video, user=user, paid_course_id=paid_course_id),
        poster_url=media.poster_url,
        duration=duration,
        start_at=_start_at(
            user=user, episode_id=episode_id, duration=duration, requested=requested_start
        ),
        captions=media.captions,
        # Not every video has seek thumbnails; the player hides the preview when none load.
        thumbnails_url=thumbnails_url(
            video=video, user=user, ttl=ttl, paid_course_id=paid_course_id
        ),
        chapters=[chapter for chapter in chapters if chapter.start < duration],
        preference=playback_preference_get(user=user),
        **base,
    )


@dataclass(frozen=True)
class SharedMedia:
    poster_url: str
    captions: list[CaptionTrack]


def _shared_media(video: Video, ttl: int) -> SharedMedia:
    """The poster and captions are the same for every learner, so their URLs are signed once a
    minute: one handed out late in that minute is still valid for the lecture's length less at
    most a minute. Captions are edited with their video, which changes ``updated_at``, and a new
    poster changes ``poster_id``: both are in the key."""
    key = (
        f"playback:media:{video.pk}:{video.updated_at.timestamp()}:{video.poster_id}:"
        f"{get_language()}:{ttl}"
    )
    media = cache.get(key)
    if media is None:
        media = SharedMedia(
            poster_url=_poster_url(video),
            captions=[
                CaptionTrack(
                    caption.language,
                    caption.get_language_display(),
                    segment_url(name=caption.file.name, ttl=ttl),
                )
                for caption in video.captions.all()
                if caption.file
            ],
        )
        cache.set(key, media, MEDIA_URLS_REUSED_SECONDS)
    return media


def _refused(state: str, base: dict) -> Player:
    return Player(state=state, message=str(MESSAGES[state]), **base)


def _poster_url(video: Video) -> str:
    if video.poster is None:
        return ""
    return video.poster.get_rendition("width-1280|format-jpeg|jpegquality-80").url


def _start_at(*, user, episode_id: int, duration: float, requested: str | None) -> float:
    """Where playback starts: the ``?t=`` of a resume link, else where the learner left off."""
    try:
        seconds = float(requested) if requested else None
    except ValueError:
        seconds = None
    if seconds is None or not math.isfinite(seconds):
        seconds = (
            ViewingProgress.objects.filter(user=user, episode_id=episode_id)
            .values_list("position", flat=True)
            .first()
        ) or 0.0
    if seconds < 0 or seconds > duration - RESUME_TAIL_SECONDS:
        return 0.0
    return round(seconds, 1)
