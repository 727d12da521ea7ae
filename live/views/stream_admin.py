"""Editors' page for a session's stream: the ingest URL for OBS, whether the presenter is live
(or why the encoder refused them), a new stream key, shown once, ending the webinar, and after
it the replay: its episode, a preview, and trimming its start and end (decision 17). Only staff
who may manage streams get it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalog.api import clock_from_seconds
from playback import api as playback_api

from ..forms import ReplayTrimForm
from ..models import LiveSession
from ..streaming.delivery import stream_master_url, viewer_cookie_set, viewer_cookie_until
from ..streaming.ingest import stream_end
from ..streaming.keys import ingest_url, key_window, stream_key_issue, stream_of_session
from ..streaming.replay import stream_replay, stream_replay_trim

PERMISSION = "live.manage_stream"
# Why the encoder refused a publish (LiveStream.encoder_problem), as the editor reads it.
ENCODER_PROBLEMS = {
    playback_api.LiveSourceRefused.NO_PICTURE: _(
        "Refused: the presenter sends sound only. A webinar needs a picture: add a video source "
        "in OBS and start again."
    ),
    playback_api.LiveSourceRefused.TOO_LARGE: _(
        "Refused: the picture is larger than 4K. Send 1920×1080 or 1280×720 and start again."
    ),
}


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
        if request.POST.get("action") == "trim" and stream is not None:
            return self._trim(request, stream)
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

    def _trim(self, request, stream):
        replay = stream_replay(stream)
        if replay is None:
            messages.error(request, _("There is no replay to trim yet."))
            return redirect(request.path)
        form = ReplayTrimForm(
            request.POST, length=replay.length, minimum=playback_api.MIN_TRIMMED_SECONDS
        )
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(trim_form=form), status=400)
        try:
            seconds = stream_replay_trim(
                stream_id=stream.pk,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
        except playback_api.RecordingRangeError:
            messages.error(request, _("This part of the recording cannot be the replay."))
        else:
            messages.success(
                request,
                _("The replay now lasts %(length)s.") % {"length": clock_from_seconds(seconds)},
            )
        return redirect(request.path)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        stream = stream_of_session(self.session.pk)
        if stream is not None and stream.replay_ready_at:  # the preview plays the replay
            viewer_cookie_set(
                response,
                stream_uuid=stream.uuid,
                until=viewer_cookie_until(stream),
                user=request.user,
                secure=request.is_secure(),
            )
        return response

    def get_context_data(self, **kwargs):
        opens, closes = key_window(self.session)
        stream = stream_of_session(self.session.pk)
        replay = stream_replay(stream)
        if replay is not None and "trim_form" not in kwargs:
            kwargs["trim_form"] = ReplayTrimForm(
                initial={
                    "start": clock_from_seconds(replay.trim_start),
                    "end": clock_from_seconds(replay.trim_end),
                },
                length=replay.length,
                minimum=playback_api.MIN_TRIMMED_SECONDS,
            )
        return super().get_context_data(
            session=self.session,
            stream=stream,
            ingest_url=ingest_url(),
            key_opens=opens,
            key_closes=closes,
            encoder_problem=ENCODER_PROBLEMS.get(stream.encoder_problem) if stream else None,
            replay=replay,
            replay_length=clock_from_seconds(replay.length) if replay else "",
            replay_seconds=clock_from_seconds(replay.seconds) if replay else "",
            preview_url=stream_master_url(stream) if replay else "",
            **kwargs,
        )
