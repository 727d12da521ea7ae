from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlaylistsConfig(AppConfig):
    name = "playlists"
    verbose_name = _("Learning paths")
