from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlaybackConfig(AppConfig):
    name = "playback"
    verbose_name = _("Video and playback")

    def ready(self):
        from accreditation.api import learner_named

        from .services.completion import course_completions_on_learner_named

        learner_named.connect(
            course_completions_on_learner_named,
            dispatch_uid="playback.course_completions_on_learner_named",
        )
