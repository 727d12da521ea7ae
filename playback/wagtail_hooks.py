from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .attachments import document_serve_checked
from .models import Enrolment, Voucher
from .viewsets import video_chooser_viewset, video_viewset


@hooks.register("register_admin_viewset")
def register_video_viewsets():
    return [video_viewset, video_chooser_viewset]


# Course documents are private: Wagtail's own serve view hands them only to those allowed.
hooks.register("before_serve_document", document_serve_checked)


class VoucherViewSet(SnippetViewSet):
    model = Voucher
    icon = "key"
    menu_label = _("Vouchers")
    list_display = ["code", "course", "uses", "max_uses", "valid_until", "note"]
    list_filter = ["valid_until"]
    search_fields = ["code", "note"]


class EnrolmentViewSet(SnippetViewSet):
    model = Enrolment
    icon = "user"
    menu_label = _("Enrolments")
    list_display = ["user", "course", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]


class AccessViewSetGroup(SnippetViewSetGroup):
    items = (EnrolmentViewSet, VoucherViewSet)
    menu_icon = "lock"
    menu_label = _("Access")
    menu_name = "access"
    menu_order = 260


register_snippet(AccessViewSetGroup)
