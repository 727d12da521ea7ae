"""Editors' page for a session's stream: the ingest URL for OBS, whether the presenter is live,
and a new stream key, shown once (decision 17). Only staff who may manage streams get it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..models import LiveSession
from ..streaming.ingest import stream_end
from ..streaming.keys import ingest_url, key_window, stream_key_issue, stream_of_session

PERMISSION = "live.manage_stream"


class StreamKeyView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "live/admin/stream_key.html"
    page_title = _("Live stream")
    header_icon = "media"

    def dispatch(self, request, *args, session_id: int, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        self.session = get_object_or_404(
            LiveSession.objects.select_related("course"), pk=session_id
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        sessions = reverse("wagtailsnippets_live_livesession:list")
        return [
            *self.breadcrumbs_items,
            {"url": sessions, "label": LiveSession._meta.verbose_name_plural.capitalize()},
            {"url": "", "label": self.page_title, "sublabel": self.get_page_subtitle()},
        ]

    def post(self, request, *args, **kwargs):
        stream = stream_of_session(self.session.pk)
        if request.POST.get("action") == "end" and stream is not None:
            try:
                stream_end(stream_id=stream.pk)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("The webinar has ended: the replay is ready within seconds.")
                )
            return redirect(request.path)
        issued = stream_key_issue(session=self.session)
        response = self.render_to_response(self.get_context_data(key=issued.key))
        add_never_cache_headers(response)  # the key is shown this once
        return response

    def get_context_data(self, **kwargs):
        opens, closes = key_window(self.session)
        return super().get_context_data(
            session=self.session,
            stream=stream_of_session(self.session.pk),
            ingest_url=ingest_url(),
            key_opens=opens,
            key_closes=closes,
            **kwargs,
        )
