from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlaybackConfig(AppConfig):
    name = "playback"
    verbose_name = _("Video and playback")

    def ready(self):
        from .api import episode_completed
        from .services.completion import course_completion_on_episode_completed

        episode_completed.connect(
            course_completion_on_episode_completed,
            dispatch_uid="playback.course_completion_on_episode_completed",
        )
