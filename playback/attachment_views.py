from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from .attachments import document_for_download, document_response


@login_required
@require_GET
def document(request, document_id: int):
    """A course document, for editors and whoever may watch an episode offering it; others are
    told it is not there, as an episode's end test does."""
    found = document_for_download(user=request.user, document_id=document_id)
    if found is None:
        raise Http404
    return document_response(document=found)
