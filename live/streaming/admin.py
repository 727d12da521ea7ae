"""The stream key page in the Wagtail admin, and a button to it on every session."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from ..models import LiveSession
from ..views.stream_admin import PERMISSION, StreamKeyView


@hooks.register("register_admin_urls")
def stream_admin_urls():
    return [
        path(
            "livestream/<int:session_id>/",
            StreamKeyView.as_view(),
            name="live_stream_key",
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def stream_key_button(snippet, user, next_url=None):
    if isinstance(snippet, LiveSession) and user.has_perm(PERMISSION):
        yield Button(
            _("Stream key"),
            reverse("live_stream_key", args=[snippet.pk]),
            icon_name="media",
            priority=30,
        )
