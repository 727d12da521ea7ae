from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlaybackConfig(AppConfig):
    name = "playback"
    verbose_name = _("Video and playback")

    def ready(self):
        from accreditation.api import learner_named

        from .api import episode_completed
        from .services.completion import (
            course_completion_on_episode_completed,
            course_completions_on_learner_named,
        )

        episode_completed.connect(
            course_completion_on_episode_completed,
            dispatch_uid="playback.course_completion_on_episode_completed",
        )
        learner_named.connect(
            course_completions_on_learner_named,
            dispatch_uid="playback.course_completions_on_learner_named",
        )
