"""How a learner likes to watch (speed, subtitles), kept per learner so that it follows them
across devices; the player also keeps it in the browser to apply it before the page asks."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import PlaybackPreference

PLAYBACK_SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)


class PreferenceRefused(Exception):
    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


@dataclass(frozen=True)
class WatchingPreference:
    speed: float | None = None  # None: never chosen
    captions: str | None = None  # None: never chosen; "": subtitles off


def playback_preference_get(*, user) -> WatchingPreference:
    stored = PlaybackPreference.objects.filter(user=user).first() if user.is_authenticated else None
    if stored is None:
        return WatchingPreference()
    return WatchingPreference(speed=stored.speed, captions=stored.captions)


def playback_preference_save(*, user, choices: object) -> WatchingPreference:
    """Store what the learner chose, ``{"speed": 1.5}`` and/or ``{"captions": "nl"}`` (``""``
    for off), leaving the other choice as it was; PreferenceRefused says what is wrong."""
    if not isinstance(choices, dict) or not {"speed", "captions"} & choices.keys():
        raise PreferenceRefused(_("Say which speed or subtitles were chosen."))
    changes = {}
    if "speed" in choices:
        speed = choices["speed"]
        number = isinstance(speed, int | float) and not isinstance(speed, bool)
        if not number or float(speed) not in PLAYBACK_SPEEDS:
            raise PreferenceRefused(_("This playback speed is not available."))
        changes["speed"] = float(speed)
    if "captions" in choices:
        language = choices["captions"]
        languages = {code for code, _name in settings.PLAYBACK_CAPTION_LANGUAGES}
        if not isinstance(language, str) or (language and language not in languages):
            raise PreferenceRefused(_("Subtitles in this language are not available."))
        changes["captions"] = language
    stored, _created = PlaybackPreference.objects.update_or_create(user=user, defaults=changes)
    return WatchingPreference(speed=stored.speed, captions=stored.captions)
