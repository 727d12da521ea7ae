"""Every URL of the site, for every kind of visitor, for GET and POST: who gets in, and that
nobody sees another person's e-mail address, BIG number or name.

The URL patterns are read from the resolver, so a new view without a row here fails
``test_every_url_pattern_has_a_row``. Visitors: ``anonymous``; ``owner``, a learner who owns
the objects the URL names (or has access to them); ``other``, a learner who does not; ``editor``,
staff in the Editors group without the permission a view asks; ``staff``, with every permission.

MATRIX gives, per view and method, what each visitor gets as a word:
``ok`` 200, ``done`` a redirect that is not to sign-in (a form or action that went through),
``login`` a redirect to sign-in, ``hidden`` 404, ``refused`` 403, ``bad`` 400 (the empty
form or body the walk sends), ``method`` 405, ``conflict`` 409. With S3, a file download
that is ``ok`` is a redirect to a URL presigned for the private bucket.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from live.models import Question
from live.streaming.keys import stream_key_issue
from tests.security.world import World, world_build

pytestmark = pytest.mark.django_db

ACTORS = ("anonymous", "owner", "other", "editor", "staff")
LOGIN_PREFIXES = ("/accounts/login/", "/admin/login/", "/accounts/2fa/authenticate/")


@dataclass(frozen=True)
class Row:
    url: object  # World -> path
    # Visitors, besides the person themselves, who may see the owner's name on this page.
    sees_owner_name: frozenset = field(default_factory=frozenset)
    # Visitors who may see learners' e-mail addresses, BIG numbers and names (staff tools).
    sees_learner_data: frozenset = field(default_factory=frozenset)


def _stream_of(world: World):
    return stream_key_issue(session=world.webinar_session).stream


def _question_of(world: World):
    """An approved question of the webinar, asked by staff: the owner may vote for it."""
    question, _created = Question.objects.get_or_create(
        session=world.webinar_session,
        author=world.user("staff"),
        text="Wat adviseert het panel?",
        defaults={"status": Question.Status.APPROVED},
    )
    return question


def row(url, *, name_to=(), data_to=()) -> Row:
    return Row(url, frozenset(name_to), frozenset(data_to))


def _matrix(table: str) -> dict[tuple[str, str], dict[str, str]]:
    lines = [line.split() for line in table.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    assert header[2:] == list(ACTORS)
    return {(key, method): dict(zip(ACTORS, words, strict=True)) for key, method, *words in rows}


def _to_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PREFIXES)


def _handed_over(response) -> bool:
    """A file handed over as it is with S3: a redirect to a short-lived URL signed for the
    private bucket (with local storage the view answers 200 with the file itself)."""
    if response.status_code != 302 or not settings.AWS_STORAGE_BUCKET_NAME:
        return False
    location = urlsplit(response["Location"])
    endpoint = urlsplit(settings.STORAGES["default"]["OPTIONS"]["endpoint_url"] or "")
    return (
        location.netloc == endpoint.netloc
        and location.path.startswith(f"/{settings.AWS_STORAGE_BUCKET_NAME}/")
        and "X-Amz-Signature" in parse_qs(location.query)
    )


def _meets(response, expected: str) -> bool:
    status = response.status_code
    return {
        "ok": status == 200 or _handed_over(response),
        "done": status in (301, 302, 303)
        and not _to_sign_in(response)
        and not _handed_over(response),
        "login": _to_sign_in(response),
        "hidden": status == 404,
        "refused": status == 403,
        "bad": status == 400,
        "method": status == 405,
        "conflict": status == 409,
    }[expected]


# --- The rows -------------------------------------------------------------------------------

ROWS: dict[str, Row] = {
    # The site's own pages
    "healthz": row(lambda w: "/healthz/"),
    "set_language": row(lambda w: "/i18n/setlang/"),
    "wagtail_serve": row(lambda w: w.paid_episode.url),
    "wagtailcore_login": row(lambda w: "/_util/login/"),
    "wagtailcore_authenticate_with_password": row(
        lambda w: f"/_util/authenticate_with_password/999/{w.episode.pk}/"
    ),
    "wagtaildocs_serve": row(lambda w: f"/documents/{w.document.pk}/{w.document.filename}"),
    "wagtaildocs_authenticate_with_password": row(
        lambda w: "/documents/authenticate_with_password/999/"
    ),
    # Catalog
    "discovery:search": row(lambda w: "/zoeken/?q=wondzorg"),
    "discovery:row": row(lambda w: "/rijen/nieuw/"),
    "discovery:continue_watching_remove": row(
        lambda w: f"/verder-kijken/{w.course.pk}/verwijderen/"
    ),
    "discovery:continue_watching_restore": row(
        lambda w: f"/verder-kijken/{w.course.pk}/terugzetten/"
    ),
    "discovery:course_complete": row(lambda w: f"/cursussen/{w.course.pk}/afgerond/"),
    # Playback
    "playback:playlist": row(lambda w: w.master_url),
    "playback:segment": row(lambda w: "/stream/hls-segment/forged"),
    "playback:session_start": row(lambda w: "/stream/afspelen/sessies/"),
    "playback:heartbeat": row(lambda w: "/stream/afspelen/voortgang/"),
    "playback:preference_save": row(lambda w: "/stream/afspelen/voorkeuren/"),
    "playback:voucher_redeem": row(lambda w: "/stream/voucher/"),
    "playback:document": row(lambda w: f"/stream/documenten/{w.document.pk}/"),
    "playback:test": row(lambda w: f"/stream/toets/{w.paid_episode.pk}/"),
    "playback:test_result": row(
        lambda w: f"/stream/toets/{w.paid_episode.pk}/uitslag/{w.attempt.pk}/"
    ),
    # Accreditation
    "accreditation:profile": row(lambda w: "/profiel/"),
    "accreditation:onboarding": row(lambda w: "/profiel/welkom/"),
    "accreditation:dashboard": row(lambda w: "/accreditatie/"),
    "accreditation:registration_edit": row(
        lambda w: f"/accreditatie/registraties/{w.reduction_registration.pk}/"
    ),
    "accreditation:registration_reduction_evidence": row(
        lambda w: f"/mijn-accreditatie/bewijs/korting/{w.reduction_registration.pk}/"
    ),
    "accreditation:work_hours": row(lambda w: "/accreditatie/werkuren/"),
    "accreditation:work_hours_delete": row(
        lambda w: f"/accreditatie/werkuren/{w.work_hours_entry.pk}/verwijderen/"
    ),
    "accreditation:big_reregistration": row(lambda w: "/accreditatie/big-herregistratie/"),
    "accreditation:activity_add": row(lambda w: "/accreditatie/activiteit-toevoegen/"),
    "accreditation:certificate_pdf": row(
        lambda w: f"/mijn-accreditatie/certificaten/{w.certificate.pk}.pdf"
    ),
    "accreditation:certificate_lookup": row(lambda w: "/certificaat/?code=ACDEF-GHJKM"),
    "accreditation:certificate_verify": row(
        lambda w: f"/certificaat/{w.certificate.code_display}/",
        name_to=ACTORS,
    ),
    "accreditation:certificate_verify_copied": row(
        lambda w: f"/certificaat/{w.certificate.code_display}/%20"
    ),
    "accreditation:evidence_download": row(
        lambda w: f"/mijn-accreditatie/bewijs/{w.evidence_entry.pk}/"
    ),
    "accreditation:calendar_feed": row(
        lambda w: f"/mijn-accreditatie/agenda/{w.calendar_token}.ics",
        name_to=ACTORS,
    ),
    "accreditation:calendar_feed_new_link": row(lambda w: "/mijn-accreditatie/agenda/nieuwe-link/"),
    "accreditation:portfolio_csv": row(lambda w: "/mijn-accreditatie/portfolio/venvn.csv"),
    "accreditation:portfolio_pdf": row(lambda w: "/mijn-accreditatie/portfolio/venvn.pdf"),
    "accreditation:attendance_export": row(
        lambda w: "/mijn-accreditatie/export/aanwezigheid/",
        data_to=("staff",),
        name_to=("staff",),
    ),
    # Sessions and presence
    **{
        f"live:{name}": row(
            lambda w, suffix=suffix: f"/sessies/{w.classroom_session.pk}/{suffix}",
            data_to=("staff",) if name.startswith("presence") else (),
        )
        for name, suffix in [
            ("register", "inschrijven/"),
            ("cancel", "afmelden/"),
            ("invitation", "agenda.ics"),
            ("presence", "presentie/"),
            ("close", "afsluiten/"),
            ("presence_pdf", "presentielijst.pdf"),
            ("presence_csv", "presentielijst-venvn.csv"),
            ("check_open", "controles/"),
        ]
    },
    "live:provider_redirect": row(lambda w: f"/sessies/{w.external_session.pk}/aanbieder/"),
    "live:heartbeat": row(lambda w: f"/sessies/{w.webinar_session.pk}/aanwezig/"),
    "live:check_answer": row(lambda w: f"/controles/{w.presence_check.pk}/antwoord/"),
    "live:door": row(lambda w: f"/deur/{w.door_token}/"),
    # The ingest server's callbacks: the walk's client is on loopback, as nginx is; a key it
    # does not send is refused, a publisher it does not name leaving changes nothing.
    "live:ingest_publish": row(lambda w: "/live/ingest/publish"),
    "live:watch": row(lambda w: f"/sessies/{w.webinar_session.pk}/kijken/"),
    # The stream's files need the cookie the watch page gives; the walk's visitors have none.
    "live:stream_file": row(lambda w: f"/live/{_stream_of(w).uuid}/hls/master.m3u8"),
    "admin:livestream:live_stream_key": row(lambda w: f"/admin/livestream/{w.webinar_session.pk}/"),
    "live:ingest_publish_done": row(lambda w: "/live/ingest/publish-done"),
    # Questions to the panel: the webinar's viewers ask and vote, staff moderate and present.
    "live:questions": row(lambda w: f"/sessies/{w.webinar_session.pk}/vragen/"),
    "live:questions_moderation": row(
        lambda w: f"/sessies/{w.webinar_session.pk}/vragen/modereren/"
    ),
    "live:presenter": row(lambda w: f"/sessies/{w.webinar_session.pk}/presentator/"),
    "live:question_vote": row(lambda w: f"/vragen/{_question_of(w).pk}/stem/"),
    "live:question_moderate": row(lambda w: f"/vragen/{_question_of(w).pk}/modereren/"),
    # Learning paths
    "playlists:library": row(lambda w: "/leerpaden/"),
    "playlists:new": row(lambda w: "/leerpaden/nieuw/"),
    "playlists:add_menu": row(lambda w: "/leerpaden/toevoegen/"),
    "playlists:shared": row(lambda w: f"/leerpaden/gedeeld/{w.path.share_token}/"),
    "playlists:curated": row(lambda w: f"/leerpaden/redactie/{w.curated_slug}/"),
    "playlists:curated_follow": row(lambda w: f"/leerpaden/redactie/{w.curated_slug}/volgen/"),
    "playlists:curated_copy": row(lambda w: f"/leerpaden/redactie/{w.curated_slug}/kopie/"),
    "playlists:invitation": row(
        lambda w: f"/leerpaden/uitnodiging/{w.invite_token}/",
        name_to=ACTORS,
    ),
    "playlists:path": row(lambda w: f"/leerpaden/{w.path.pk}/"),
    "playlists:play_all": row(lambda w: f"/leerpaden/{w.path.pk}/afspelen/"),
    "playlists:profile": row(lambda w: f"/leerpaden/van/{w.user('owner').pk}/"),
    **{
        f"playlists:{name}": row(lambda w, suffix=suffix: f"/leerpaden/{w.path.pk}/{suffix}/")
        for name, suffix in [
            ("follow", "volgen"),
            ("unfollow", "ontvolgen"),
            ("duplicate", "kopie"),
            ("link_renew", "nieuwe-link"),
            ("invite", "uitnodigen"),
            ("edit", "bewerken"),
            ("delete", "verwijderen"),
            ("item_add", "items"),
        ]
    },
    "playlists:collaborator_remove": row(
        lambda w: f"/leerpaden/{w.path.pk}/samenwerkers/{w.user('other').pk}/verwijderen/"
    ),
    "playlists:item_open": row(lambda w: f"/leerpaden/{w.path.pk}/items/{w.path_item.pk}/openen/"),
    "playlists:item_remove": row(
        lambda w: f"/leerpaden/{w.path.pk}/items/{w.path_item.pk}/verwijderen/"
    ),
    "playlists:item_move": row(
        lambda w: f"/leerpaden/{w.path.pk}/items/{w.path_item.pk}/verplaatsen/"
    ),
    # Signing in goes through allauth only
    "admin:login:wagtailadmin_login": row(lambda w: "/admin/login/"),
    "^admin/password_reset/": row(lambda w: "/admin/password_reset/"),
    # Staff tools of the project in the Wagtail admin
    "admin:certificate:index_results": row(
        lambda w: "/admin/certificate/results/", name_to=("staff",)
    ),
    "admin:bignumberclaim:index_results": row(
        lambda w: "/admin/bignumberclaim/results/", data_to=("staff",)
    ),
    "admin:videos:add": row(lambda w: "/admin/videos/new/"),
    "admin:videos:upload_status": row(lambda w: f"/admin/videos/upload/{w.upload.pk}/"),
    **{
        f"admin:videos:{name}": row(
            lambda w, suffix=suffix: f"/admin/videos/upload/{w.upload.pk}/{suffix}/"
        )
        for name, suffix in [
            ("upload_chunk", "chunk"),
            ("upload_part", "part"),
            ("upload_complete", "complete"),
        ]
    },
    "admin:certificate:index": row(lambda w: "/admin/certificate/", name_to=("staff",)),
    "admin:certificate:inspect": row(
        lambda w: f"/admin/certificate/inspect/{w.certificate.pk}/",
        name_to=("staff",),
        data_to=("staff",),
    ),
    "admin:certificate:pdf": row(lambda w: f"/admin/certificate/pdf/{w.certificate.pk}/"),
    "admin:certificate:revoke": row(
        lambda w: f"/admin/certificate/revoke/{w.certificate.pk}/",
        name_to=("staff",),
    ),
    "admin:bignumberclaim:index": row(lambda w: "/admin/bignumberclaim/", data_to=("staff",)),
    "admin:bignumberclaim:inspect": row(
        lambda w: f"/admin/bignumberclaim/inspect/{w.claim.pk}/",
        data_to=("staff",),
    ),
    "admin:bignumberclaim:decide": row(
        lambda w: f"/admin/bignumberclaim/decide/{w.claim.pk}/",
        data_to=("staff",),
        name_to=("staff",),
    ),
    "admin:portfolio:index": row(lambda w: "/admin/portfolio/?q=verbeek", data_to=("staff",)),
    "admin:portfolio:index_results": row(
        lambda w: "/admin/portfolio/results/?q=verbeek", data_to=("staff",)
    ),
    "admin:portfolio:learner": row(
        lambda w: f"/admin/portfolio/{w.user('owner').pk}/", data_to=("staff",)
    ),
    "admin:portfolio:reverse": row(
        lambda w: f"/admin/portfolio/reverse/{w.evidence_entry.pk}/", data_to=("staff",)
    ),
    "admin:portfolio:registration": row(
        lambda w: f"/admin/portfolio/registration/{w.reduction_registration.pk}/",
        data_to=("staff",),
    ),
    "admin:videos:edit": row(lambda w: f"/admin/videos/edit/{w.video.pk}/"),
    "admin:videos:status": row(lambda w: f"/admin/videos/{w.video.pk}/status/"),
    "admin:videos:transcode_again": row(lambda w: f"/admin/videos/{w.video.pk}/transcode-again/"),
    "admin:videos:upload_start": row(lambda w: "/admin/videos/upload/start/"),
}


# What each visitor gets, per view and method (the words are explained at the top).
MATRIX = _matrix(
    """
view                                     method anonymous owner   other   editor  staff
healthz                                  get    ok        ok      ok      ok      ok
healthz                                  post   ok        ok      ok      ok      ok
admin:login:wagtailadmin_login           get    login     refused refused done    done
admin:login:wagtailadmin_login           post   login     refused refused done    done
^admin/password_reset/                   get    done      done    done    done    done
^admin/password_reset/                   post   done      done    done    done    done
admin:videos:add                         get    login     login   login   ok      ok
admin:videos:add                         post   login     login   login   method  method
admin:videos:upload_start                get    login     login   login   method  method
admin:videos:upload_start                post   login     login   login   bad     bad
admin:videos:upload_status               get    login     login   login   ok      hidden
admin:videos:upload_status               post   login     login   login   method  method
admin:videos:upload_chunk                get    login     login   login   method  method
admin:videos:upload_chunk                post   login     login   login   bad     hidden
admin:videos:upload_part                 get    login     login   login   method  method
admin:videos:upload_part                 post   login     login   login   bad     hidden
admin:videos:upload_complete             get    login     login   login   method  method
admin:videos:upload_complete             post   login     login   login   conflict     hidden
admin:videos:edit                        get    login     login   login   ok      ok
admin:videos:edit                        post   login     login   login   ok      ok
admin:videos:status                      get    login     login   login   ok      ok
admin:videos:status                      post   login     login   login   method  method
admin:videos:transcode_again             get    login     login   login   method  method
admin:videos:transcode_again             post   login     login   login   ok      ok
admin:certificate:index                  get    login     login   login   done    ok
admin:certificate:index                  post   login     login   login   done    method
admin:certificate:index_results          get    login     login   login   done    ok
admin:certificate:index_results          post   login     login   login   done    method
admin:certificate:inspect                get    login     login   login   done    ok
admin:certificate:inspect                post   login     login   login   done    method
admin:certificate:revoke                 get    login     login   login   done    ok
admin:certificate:revoke                 post   login     login   login   done    ok
admin:certificate:pdf                    get    login     login   login   done    ok
admin:certificate:pdf                    post   login     login   login   done    ok
admin:bignumberclaim:index               get    login     login   login   done    ok
admin:bignumberclaim:index               post   login     login   login   done    method
admin:bignumberclaim:index_results       get    login     login   login   done    ok
admin:bignumberclaim:index_results       post   login     login   login   done    method
admin:bignumberclaim:inspect             get    login     login   login   done    ok
admin:bignumberclaim:inspect             post   login     login   login   done    method
admin:bignumberclaim:decide              get    login     login   login   done    ok
admin:bignumberclaim:decide              post   login     login   login   done    ok
admin:portfolio:index                    get    login     login   login   done    ok
admin:portfolio:index                    post   login     login   login   done    method
admin:portfolio:index_results            get    login     login   login   done    ok
admin:portfolio:index_results            post   login     login   login   done    method
admin:portfolio:learner                  get    login     login   login   done    ok
admin:portfolio:learner                  post   login     login   login   done    method
admin:portfolio:reverse                  get    login     login   login   done    ok
admin:portfolio:reverse                  post   login     login   login   done    ok
admin:portfolio:registration             get    login     login   login   done    ok
admin:portfolio:registration             post   login     login   login   done    done
wagtaildocs_serve                        get    login     done    hidden  done    done
wagtaildocs_serve                        post   login     done    hidden  done    done
wagtaildocs_authenticate_with_password   get    hidden    hidden  hidden  hidden  hidden
wagtaildocs_authenticate_with_password   post   hidden    hidden  hidden  hidden  hidden
set_language                             get    done      done    done    done    done
set_language                             post   done      done    done    done    done
playback:playlist                        get    refused   ok      refused refused refused
playback:playlist                        post   method    method  method  method  method
playback:segment                         get    refused   refused refused refused refused
playback:segment                         post   method    method  method  method  method
playback:session_start                   get    method    method  method  method  method
playback:session_start                   post   refused   bad     bad     bad     bad
playback:heartbeat                       get    method    method  method  method  method
playback:heartbeat                       post   refused   bad     bad     bad     bad
playback:preference_save                 get    method    method  method  method  method
playback:preference_save                 post   refused   bad     bad     bad     bad
playback:voucher_redeem                  get    login     method  method  method  method
playback:voucher_redeem                  post   login     done    done    done    done
playback:document                        get    login     ok      hidden  ok      ok
playback:document                        post   login     method  method  method  method
playback:test                            get    login     ok      hidden  ok      ok
playback:test                            post   login     hidden  hidden  hidden  hidden
playback:test_result                     get    login     hidden  hidden  hidden  hidden
playback:test_result                     post   login     method  method  method  method
accreditation:profile                    get    login     ok      ok      ok      ok
accreditation:profile                    post   login     ok      ok      ok      ok
accreditation:onboarding                 get    login     ok      ok      ok      ok
accreditation:onboarding                 post   login     ok      ok      ok      ok
accreditation:dashboard                  get    login     ok      ok      ok      ok
accreditation:dashboard                  post   login     ok      ok      ok      ok
accreditation:registration_edit          get    login     ok      hidden  hidden  hidden
accreditation:registration_edit          post   login     ok      hidden  hidden  hidden
accreditation:registration_reduction_evidence get login   ok      hidden  hidden  ok
accreditation:registration_reduction_evidence post login  method  method  method  method
accreditation:work_hours                 get    login     ok      ok      ok      ok
accreditation:work_hours                 post   login     ok      ok      ok      ok
accreditation:work_hours_delete          get    login     method  method  method  method
accreditation:work_hours_delete          post   login     done    done    done    done
accreditation:big_reregistration         get    login     ok      ok      ok      ok
accreditation:big_reregistration         post   login     ok      ok      ok      ok
accreditation:activity_add               get    login     ok      ok      ok      ok
accreditation:activity_add               post   login     ok      ok      ok      ok
accreditation:certificate_pdf            get    login     ok      hidden  hidden  ok
accreditation:certificate_pdf            post   login     ok      hidden  hidden  ok
accreditation:certificate_lookup         get    done      done    done    done    done
accreditation:certificate_lookup         post   done      done    done    done    done
accreditation:certificate_verify         get    ok        ok      ok      ok      ok
accreditation:certificate_verify         post   ok        ok      ok      ok      ok
accreditation:certificate_verify_copied  get    done      done    done    done    done
accreditation:certificate_verify_copied  post   done      done    done    done    done
accreditation:evidence_download          get    login     ok      hidden  hidden  ok
accreditation:evidence_download          post   login     method  method  method  method
accreditation:calendar_feed              get    ok        ok      ok      ok      ok
accreditation:calendar_feed              post   method    method  method  method  method
accreditation:calendar_feed_new_link     get    login     method  method  method  method
accreditation:calendar_feed_new_link     post   login     done    done    done    done
accreditation:portfolio_csv              get    login     ok      ok      ok      ok
accreditation:portfolio_csv              post   login     ok      ok      ok      ok
accreditation:portfolio_pdf              get    login     ok      ok      ok      ok
accreditation:portfolio_pdf              post   login     ok      ok      ok      ok
accreditation:attendance_export          get    login     refused refused refused ok
accreditation:attendance_export          post   login     refused refused refused ok
playlists:library                        get    login     ok      ok      ok      ok
playlists:library                        post   login     ok      ok      ok      ok
playlists:new                            get    method    method  method  method  method
playlists:new                            post   login     done    done    done    done
playlists:add_menu                       get    login     bad     bad     bad     bad
playlists:add_menu                       post   login     bad     bad     bad     bad
playlists:shared                         get    hidden    hidden  hidden  hidden  hidden
playlists:shared                         post   hidden    hidden  hidden  hidden  hidden
playlists:curated                        get    ok        ok      ok      ok      ok
playlists:curated                        post   ok        ok      ok      ok      ok
playlists:curated_follow                 get    method    method  method  method  method
playlists:curated_follow                 post   login     done    done    done    done
playlists:curated_copy                   get    method    method  method  method  method
playlists:curated_copy                   post   login     done    done    done    done
playlists:invitation                     get    login     ok      ok      ok      ok
playlists:invitation                     post   login     ok      done    done    done
live:register                            get    login     method  method  method  method
live:register                            post   login     done    done    done    done
live:cancel                              get    login     method  method  method  method
live:cancel                              post   login     done    done    done    done
live:invitation                          get    login     ok      hidden  hidden  hidden
live:invitation                          post   login     method  method  method  method
live:provider_redirect                   get    done      done    done    done    done
live:provider_redirect                   post   method    method  method  method  method
live:presence                            get    login     refused refused refused ok
live:presence                            post   login     refused refused refused bad
live:close                               get    login     refused refused refused method
live:close                               post   login     refused refused refused done
live:presence_pdf                        get    login     refused refused refused ok
live:presence_pdf                        post   login     refused refused refused method
live:presence_csv                        get    login     refused refused refused ok
live:presence_csv                        post   login     refused refused refused method
live:check_open                          get    login     refused refused refused method
live:check_open                          post   login     refused refused refused done
live:heartbeat                           get    method    method  method  method  method
live:heartbeat                           post   refused   ok      refused refused refused
live:check_answer                        get    method    method  method  method  method
live:check_answer                        post   refused   bad     bad     bad     bad
live:door                                get    login     ok      ok      ok      ok
live:door                                post   login     done    done    done    done
live:watch                               get    login     ok      refused refused ok
live:watch                               post   login     method  method  method  method
live:stream_file                         get    refused   refused refused refused refused
live:stream_file                         post   method    method  method  method  method
live:ingest_publish                      get    method    method  method  method  method
live:ingest_publish                      post   refused   refused refused refused refused
live:ingest_publish_done                 get    method    method  method  method  method
live:ingest_publish_done                 post   ok        ok      ok      ok      ok
live:questions                           get    refused   ok      refused refused ok
live:questions                           post   refused   bad     bad     bad     bad
live:questions_moderation                get    login     refused refused refused ok
live:questions_moderation                post   login     refused refused refused method
live:presenter                           get    login     refused refused refused ok
live:presenter                           post   login     method  method  method  method
live:question_vote                       get    method    method  method  method  method
live:question_vote                       post   refused   ok      refused refused bad
live:question_moderate                   get    login     refused refused refused method
live:question_moderate                   post   login     refused refused refused bad
admin:livestream:live_stream_key         get    login     login   login   done    ok
admin:livestream:live_stream_key         post   login     login   login   done    ok
playlists:path                           get    login     ok      hidden  hidden  hidden
playlists:path                           post   login     ok      hidden  hidden  hidden
playlists:play_all                       get    login     done    hidden  hidden  hidden
playlists:play_all                       post   login     done    hidden  hidden  hidden
playlists:profile                        get    login     hidden  hidden  hidden  hidden
playlists:profile                        post   login     hidden  hidden  hidden  hidden
playlists:follow                         get    method    method  method  method  method
playlists:follow                         post   login     done    hidden  hidden  hidden
playlists:unfollow                       get    method    method  method  method  method
playlists:unfollow                       post   login     done    hidden  hidden  hidden
playlists:duplicate                      get    method    method  method  method  method
playlists:duplicate                      post   login     done    hidden  hidden  hidden
playlists:link_renew                     get    method    method  method  method  method
playlists:link_renew                     post   login     done    hidden  hidden  hidden
playlists:invite                         get    method    method  method  method  method
playlists:invite                         post   login     done    hidden  hidden  hidden
playlists:collaborator_remove            get    method    method  method  method  method
playlists:collaborator_remove            post   login     done    hidden  hidden  hidden
playlists:edit                           get    method    method  method  method  method
playlists:edit                           post   login     done    hidden  hidden  hidden
playlists:delete                         get    method    method  method  method  method
playlists:delete                         post   login     done    hidden  hidden  hidden
playlists:item_add                       get    method    method  method  method  method
playlists:item_add                       post   login     bad     hidden  hidden  hidden
playlists:item_open                      get    login     done    hidden  hidden  hidden
playlists:item_open                      post   login     done    hidden  hidden  hidden
playlists:item_remove                    get    method    method  method  method  method
playlists:item_remove                    post   login     done    hidden  hidden  hidden
playlists:item_move                      get    method    method  method  method  method
playlists:item_move                      post   login     done    hidden  hidden  hidden
discovery:search                           get    ok        ok      ok      ok      ok
discovery:search                           post   ok        ok      ok      ok      ok
discovery:row                              get    ok        ok      ok      ok      ok
discovery:row                              post   ok        ok      ok      ok      ok
discovery:continue_watching_remove         get    method    method  method  method  method
discovery:continue_watching_remove         post   login     done    done    done    done
discovery:continue_watching_restore        get    method    method  method  method  method
discovery:continue_watching_restore        post   login     done    done    done    done
discovery:course_complete                  get    login     ok      ok      ok      ok
discovery:course_complete                  post   method    method  method  method  method
wagtailcore_login                        get    login     login   login   login   login
wagtailcore_login                        post   login     login   login   login   login
wagtailcore_authenticate_with_password   get    hidden    hidden  hidden  hidden  hidden
wagtailcore_authenticate_with_password   post   hidden    hidden  hidden  hidden  hidden
wagtail_serve                            get    ok        ok      ok      ok      ok
wagtail_serve                            post   ok        ok      ok      ok      ok
"""
)


# --- Walking the resolver -------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the route for an unnamed pattern
    route: str
    project: bool  # a view of this project, not of Wagtail, allauth or Django


PROJECT_MODULES = ("accreditation.", "catalog.", "live.", "lms.", "playback.", "playlists.")


def url_patterns() -> list[Pattern]:
    found = []

    def walk(patterns, prefix: str, namespaces: tuple[str, ...]) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                names = namespaces + ((pattern.namespace,) if pattern.namespace else ())
                walk(pattern.url_patterns, route, names)
            elif isinstance(pattern, URLPattern):
                module = getattr(pattern.callback, "__module__", "") or ""
                key = ":".join((*namespaces, pattern.name)) if pattern.name else route
                found.append(Pattern(key, route, module.startswith(PROJECT_MODULES)))

    walk(get_resolver().url_patterns, "", ())
    return found


def _admin_key(pattern: Pattern) -> str | None:
    """Viewsets register their views under /admin/<prefix>/ without a namespace of their own in
    Wagtail's URL names; rows name them admin:<prefix>:<name>."""
    parts = pattern.route.split("/")
    if parts[0] == "admin" and pattern.project and len(parts) > 2:
        return f"admin:{parts[1]}:{pattern.key.split(':')[-1]}"
    return None


def _row_key(pattern: Pattern) -> str | None:
    return next((key for key in (_admin_key(pattern), pattern.key) if key in ROWS), None)


def _is_admin(pattern: Pattern) -> bool:
    return pattern.route.startswith(("admin/", "^admin/"))


def _is_accounts(pattern: Pattern) -> bool:
    return pattern.route.startswith("accounts/")


def test_every_url_pattern_has_a_row():
    """Views of this project need a row; Wagtail's admin and allauth's account pages are
    walked by the rules below them (refused to those who are not staff; no other person's
    data)."""
    missing = [
        _admin_key(p) or p.key
        for p in url_patterns()
        if _row_key(p) is None and (p.project or not (_is_admin(p) or _is_accounts(p)))
    ]
    assert not missing, f"URL patterns without an access-matrix row: {missing}"
    stale = set(ROWS) - {_row_key(p) for p in url_patterns()}
    assert not stale, f"Rows for URL patterns that no longer exist: {stale}"
    unmatched = {(key, method) for key in ROWS for method in ("get", "post")} ^ set(MATRIX)
    assert not unmatched, f"Rows and matrix lines that do not match: {unmatched}"


# --- Requests -------------------------------------------------------------------------------


def _request(client: Client, method: str, path: str):
    """One request whose writes are rolled back, so every row meets the same world."""
    cookies = client.cookies
    try:
        with transaction.atomic():
            response = getattr(client, method)(path)
            body = _body(response)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
        caches["default"].clear()
    return response, body


def _body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
        response.close()
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def _leaks(world: World, actor: str, row_: Row | None, body: str) -> list[str]:
    """Another person's e-mail, BIG number or surname in a body this visitor got."""
    leaked = []
    for person_key, person in world.people.items():
        if person_key == actor:
            continue
        email, big_number, surname = person.private
        checks = [email, big_number, surname]
        if row_ is not None and actor in row_.sees_learner_data:
            checks = []
        elif row_ is not None and person_key == "owner" and actor in row_.sees_owner_name:
            checks = [email, big_number]  # the name may show, not the e-mail or BIG number
        leaked += [value for value in checks if value in body]
    return leaked


def _client_for(world: World, actor: str) -> Client:
    client = Client()
    if actor != "anonymous":
        client.force_login(world.user(actor))
    return client


def _sample_path(route: str) -> str | None:
    """A concrete path for a pattern's route, with 1 for numbers and "x" for words."""
    path = route.replace("^", "").replace("$", "").replace(".*", "x")
    path = re.sub(r"<(?:int):\w+>", "1", path)
    path = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000001", path)
    path = re.sub(r"<(?:str|slug|path)?:?\w+>", "x", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\\d[^)]*\)|\(\\d\+\)", "1", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)|\([^)]*\)", "x", path)
    path = path.replace("\\.", ".")
    if any(char in path for char in "()[]*+?\\"):
        return None
    return "/" + path


@pytest.fixture(scope="module")
def _world(module_rows):
    return module_rows(world_build)


@pytest.fixture
def world(_world):
    """Built once for this module: the tests only read it, and each request's writes roll back."""
    return _world


@pytest.mark.parametrize("actor", ACTORS)
def test_the_access_matrix(world, actor):
    client = _client_for(world, actor)
    failures = []
    seen = set()
    for pattern in url_patterns():
        key = _row_key(pattern)
        if key is None or key in seen:
            continue
        seen.add(key)
        row_ = ROWS[key]
        path = row_.url(world)
        for method in ("get", "post"):
            expected = MATRIX[key, method][actor]
            response, body = _request(client, method, path)
            if not _meets(response, expected):
                location = response.get("Location", "")
                failures.append(
                    f"{key} {method.upper()} {path}: {response.status_code} {location} "
                    f"(expected {expected})"
                )
            if leaked := _leaks(world, actor, row_, body):
                failures.append(f"{key} {method.upper()} {path} shows {leaked}")
    assert not failures, "\n".join(failures)


# The admin's icon sprite and its JavaScript translations: the same for everyone, no data.
PUBLIC_ADMIN_ASSETS = ("/admin/sprite/", "/admin/jsi18n/")


@pytest.mark.parametrize("actor", ["anonymous", "other"])
def test_the_admin_refuses_those_who_are_not_staff(world, actor):
    """Every view under /admin/, Wagtail's own included, with sample arguments: no learner
    and no visitor gets anything but a way to sign in or a refusal."""
    client = _client_for(world, actor)
    failures = []
    for pattern in url_patterns():
        if not _is_admin(pattern):
            continue
        path = _sample_path(pattern.route)
        assert path is not None, f"no sample path for {pattern.route}"
        for method in ("get", "post"):
            response, body = _request(client, method, path)
            allowed = (
                _to_sign_in(response)
                or response.status_code in (403, 404, 405)
                # Wagtail's password reset pages send everyone to allauth's.
                or (response.status_code == 302 and response["Location"].startswith("/accounts/"))
                or path in PUBLIC_ADMIN_ASSETS
            )
            if actor == "other" and response.status_code == 302:
                allowed = True  # Wagtail sends a signed-in learner back with a message
            if not allowed:
                failures.append(f"{method.upper()} {path}: {response.status_code}")
            if leaked := _leaks(world, actor, None, body):
                failures.append(f"{method.upper()} {path} shows {leaked}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("actor", ACTORS)
def test_account_pages_show_nobody_else(world, actor):
    """allauth's pages, each with sample arguments: no server error, no other person's data."""
    client = _client_for(world, actor)
    failures = []
    for pattern in url_patterns():
        if not _is_accounts(pattern):
            continue
        path = _sample_path(pattern.route)
        assert path is not None, f"no sample path for {pattern.route}"
        for method in ("get", "post"):
            response, body = _request(client, method, path)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {path}: {response.status_code}")
            if leaked := _leaks(world, actor, None, body):
                failures.append(f"{method.upper()} {path} shows {leaked}")
    assert not failures, "\n".join(failures)
