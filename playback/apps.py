from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class PlaybackConfig(AppConfig):
    name = "playback"
    verbose_name = _("Video and playback")

    def ready(self):
        from accreditation.api import learner_named

        from .models import Caption, Video
        from .services.completion import course_completions_on_learner_named
        from .signals import video_files_follow_delete
        from .spoken_lines import spoken_lines_follow_captions

        learner_named.connect(
            course_completions_on_learner_named,
            dispatch_uid="playback.course_completions_on_learner_named",
        )
        post_delete.connect(
            video_files_follow_delete,
            sender=Video,
            dispatch_uid="playback.video_files_follow_delete",
        )
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                spoken_lines_follow_captions,
                sender=Caption,
                dispatch_uid=f"playback.spoken_lines_follow_captions_{name}",
            )
