from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import ActivityCategory, Register


class RegisterViewSet(SnippetViewSet):
    model = Register
    icon = "list-ul"
    menu_label = _("Registers")
    list_display = ["short_name", "name", "kind"]
    list_filter = ["kind"]


class ActivityCategoryViewSet(SnippetViewSet):
    model = ActivityCategory
    icon = "list-ol"
    menu_label = _("Activity categories")
    list_display = ["name", "name_en"]


class AccreditationViewSetGroup(SnippetViewSetGroup):
    items = (RegisterViewSet, ActivityCategoryViewSet)
    menu_icon = "doc-full"
    menu_label = _("Accreditation")
    menu_name = "accreditation"
    menu_order = 310


register_snippet(AccreditationViewSetGroup)
