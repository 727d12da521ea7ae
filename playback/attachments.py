"""Who may download a course document: editors with a right on it, and learners who may watch an
episode that offers it (the rule of the episode itself: a paid course needs an enrolment)."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from wagtail.documents import get_document_model, get_permission_policy

from catalog import api as catalog_api
from lms.private_files import private_file_response

from .access import episode_playable_for

# Editors who may pick the document for a page or change it may also read it.
EDITOR_ACTIONS = ["choose", "change"]


def document_downloadable(*, user, document) -> bool:
    if not user.is_authenticated:
        return False
    if get_permission_policy().user_has_any_permission_for_instance(user, EDITOR_ACTIONS, document):
        return True
    return any(
        episode_playable_for(user=user, episode_id=episode_id)
        for episode_id in catalog_api.document_episode_ids(document.pk)
    )


def document_for_download(*, user, document_id: int):
    """The document when this user may download it; None otherwise."""
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None or not document_downloadable(user=user, document=document):
        return None
    return document


def document_response(*, document):
    return private_file_response(
        file=document.file, filename=document.filename, content_type=document.content_type
    )


def document_serve_checked(document, request):
    """Wagtail's ``/documents/<id>/<name>``: signed-out visitors are asked to sign in, others
    without the right are told it does not exist, the rest go on to the checked download."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not document_downloadable(user=request.user, document=document):
        raise Http404
    # Wagtail's serve view takes a plain response from a hook, not a streamed file.
    return redirect("playback:document", document_id=document.pk)
