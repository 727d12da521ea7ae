from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Register


class RegisterViewSet(SnippetViewSet):
    model = Register
    icon = "list-ul"
    menu_label = _("Registers")
    list_display = ["short_name", "name", "kind"]
    list_filter = ["kind"]
    add_to_admin_menu = True
    menu_order = 310


register_snippet(RegisterViewSet)
