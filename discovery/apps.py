from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscoveryConfig(AppConfig):
    """How learners find courses: cards, the home page's rows and search, read for each learner
    from the catalog, their progress and their registers."""

    name = "discovery"
    verbose_name = _("Discovery")
