from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Sessions and presence")

    def ready(self):
        from accreditation.api import calendar_event_source_add

        from .invitations import registration_calendar_events

        # The learner's calendar feed (accreditation's) carries the sessions they registered for.
        calendar_event_source_add(registration_calendar_events)
