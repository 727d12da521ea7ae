from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CuratedPath


class CuratedPathViewSet(SnippetViewSet):
    model = CuratedPath
    icon = "list-ol"
    menu_label = _("Learning paths")
    menu_name = "curated-paths"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["title", "featured", "sort_order", "live"]
    list_filter = ["featured", "live"]


register_snippet(CuratedPathViewSet)
