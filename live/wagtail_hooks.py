from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import LiveSession, PresenceRule
from .registration import session_places_changed
from .streaming import admin as stream_admin  # noqa: F401 (the stream key page)


def _presence_link(session: LiveSession) -> str:
    return format_html(
        '<a href="{}">{}</a>', reverse("live:presence", args=[session.pk]), _("Presence list")
    )


def _questions_links(session: LiveSession) -> str:
    return format_html(
        '<a href="{}">{}</a> · <a href="{}">{}</a>',
        reverse("live:questions_moderation", args=[session.pk]),
        _("Moderate"),
        reverse("live:presenter", args=[session.pk]),
        _("Presenter"),
    )


class LiveSessionViewSet(SnippetViewSet):
    model = LiveSession
    icon = "date"
    menu_label = _("Sessions")
    list_display = [
        "course",
        "starts_at",
        "capacity",
        "rule",
        "state",
        Column("presence", label=_("Presence"), accessor=_presence_link),
        Column("questions", label=_("Questions"), accessor=_questions_links),
    ]
    list_filter = ["state", "rule"]
    ordering = ["-starts_at"]
    copy_view_enabled = True


class PresenceRuleViewSet(SnippetViewSet):
    model = PresenceRule
    icon = "tasks"
    menu_label = _("Presence rules")
    list_display = ["name", "method", "min_presence_percent", "max_participants"]


class LiveViewSetGroup(SnippetViewSetGroup):
    items = (LiveSessionViewSet, PresenceRuleViewSet)
    menu_icon = "date"
    menu_label = _("Sessions")
    menu_name = "sessions"
    menu_order = 305


register_snippet(LiveViewSetGroup)


@hooks.register("after_edit_snippet")
def waiting_list_moves_into_new_places(request, instance):
    """An editor added places to a full session: those waiting get them now."""
    if isinstance(instance, LiveSession):
        session_places_changed(session_id=instance.pk)
