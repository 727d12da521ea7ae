from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Profession


class ProfessionViewSet(SnippetViewSet):
    model = Profession
    icon = "user"
    menu_label = _("Professions")
    list_display = ["name", "name_en", "big_reregistration"]
    list_filter = ["big_reregistration"]
    add_to_admin_menu = True
    menu_order = 300


register_snippet(ProfessionViewSet)
