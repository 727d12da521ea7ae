from django.urls import path

from .views import door, ingest, online, questions, registration, staff, watch

app_name = "live"

urlpatterns = [
    path("sessies/<int:session_id>/inschrijven/", registration.register, name="register"),
    path("sessies/<int:session_id>/afmelden/", registration.cancel, name="cancel"),
    path("sessies/<int:session_id>/agenda.ics", registration.invitation, name="invitation"),
    path(
        "sessies/<int:session_id>/aanbieder/",
        registration.provider_redirect,
        name="provider_redirect",
    ),
    path("sessies/<int:session_id>/presentie/", staff.presence, name="presence"),
    path("sessies/<int:session_id>/afsluiten/", staff.close, name="close"),
    path("sessies/<int:session_id>/presentielijst.pdf", staff.presence_pdf, name="presence_pdf"),
    path(
        "sessies/<int:session_id>/presentielijst-<slug:register_slug>.csv",
        staff.presence_csv,
        name="presence_csv",
    ),
    path("sessies/<int:session_id>/controles/", staff.check_open, name="check_open"),
    path("sessies/<int:session_id>/aanwezig/", online.heartbeat, name="heartbeat"),
    path("controles/<int:check_id>/antwoord/", online.check_answer, name="check_answer"),
    path("deur/<str:token>/", door.door, name="door"),
    path("sessies/<int:session_id>/kijken/", watch.watch, name="watch"),
    path("live/<uuid:stream_uuid>/hls/<path:path>", watch.stream_file, name="stream_file"),
    path("sessies/<int:session_id>/vragen/", questions.questions, name="questions"),
    path(
        "sessies/<int:session_id>/vragen/modereren/",
        questions.moderation,
        name="questions_moderation",
    ),
    path("sessies/<int:session_id>/presentator/", questions.presenter, name="presenter"),
    path("vragen/<int:question_id>/stem/", questions.question_vote, name="question_vote"),
    path(
        "vragen/<int:question_id>/modereren/", questions.question_moderate, name="question_moderate"
    ),
    path("live/ingest/publish", ingest.on_publish, name="ingest_publish"),
    path("live/ingest/publish-done", ingest.on_publish_done, name="ingest_publish_done"),
]
