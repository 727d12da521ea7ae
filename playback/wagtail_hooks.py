from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .attachments import document_serve_checked
from .models import Enrolment, Voucher
from .services.finishable import courses_unfinishable, page_publish_blockers
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


@hooks.register("before_publish_page")
def refuse_unfinishable_course(request, page):
    """The revision is saved as a draft; publishing waits until learners could finish it."""
    blockers = page_publish_blockers(page=page)
    if not blockers:
        return None
    if page.first_published_at is None:
        # A page created with "publish" is stored live before this hook runs: make it a draft.
        Page.objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
    messages.error(
        request,
        _("Saved as a draft, not published: learners could not finish this course. %(why)s")
        % {"why": " ".join(blockers)},
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


class UnfinishableCoursesPanel(Component):
    name = "unfinishable_courses"
    template_name = "playback/admin/unfinishable_courses_panel.html"
    order = 90

    def get_context_data(self, parent_context=None):
        return {"courses": courses_unfinishable()}


@hooks.register("construct_homepage_panels")
def add_unfinishable_courses_panel(request, panels):
    if request.user.has_perm("wagtailadmin.access_admin"):
        panels.append(UnfinishableCoursesPanel())
