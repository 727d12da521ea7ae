"""Course documents and evidence are private: only those who may see them get the bytes, always as
a download, never cached on the way and never from a lasting public address."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from storages.backends.s3 import S3Storage
from wagtail.documents import get_document_model

from accreditation.models import ActivityCategory, LedgerEntry, Register
from catalog.models import EpisodeAttachment, EpisodePage
from lms.private_files import private_file_response
from playback.models import Enrolment
from tests.downloads import file_download as _download
from tests.factories import UserFactory, course_publish, learner_with_profile

pytestmark = pytest.mark.django_db

HANDOUT = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% hand-out wondzorg\n%%EOF\n"
EVIDENCE = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% congres 2026\n%%EOF\n"


def _refused(response) -> None:
    assert response.status_code == 404
    assert HANDOUT not in response.content and EVIDENCE not in response.content


def _sent_to_sign_in(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "X-Amz" not in response["Location"]


def _document(name: str = "handout-wondzorg.pdf"):
    return get_document_model().objects.create(
        title="Hand-out wondzorg", file=ContentFile(HANDOUT, name=name)
    )


@pytest.fixture(scope="module")
def _paid_episode_id(module_rows):
    """A paid course's episode with a hand-out, made once for this module."""

    def create():
        course = course_publish(title="Wondzorg plus", episodes=["Decubitus"], price=Decimal("95"))
        episode = EpisodePage.objects.child_of(course).get()
        episode.attachments = [EpisodeAttachment(document=_document(), title="Hand-out")]
        episode.save_revision().publish()
        return episode.pk

    return module_rows(create)


@pytest.fixture
def paid_episode(_paid_episode_id):
    return EpisodePage.objects.get(pk=_paid_episode_id)


@pytest.fixture
def handout(paid_episode):
    return paid_episode.attachments.get().document


@pytest.fixture
def enrolled(paid_episode):
    learner = learner_with_profile()
    Enrolment.objects.create(user=learner, course_id=paid_episode.get_parent().pk)
    return learner


@pytest.fixture
def editor():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def _checked_url(document) -> str:
    return f"/stream/documenten/{document.pk}/"


def _wagtail_url(document) -> str:
    return f"/documents/{document.pk}/{document.filename}"


THROUGH = pytest.mark.parametrize("through", [_checked_url, _wagtail_url])


# --- An episode's attachments ----------------------------------------------------------------


def test_the_episode_page_links_every_learner_to_the_checked_download(
    client, paid_episode, handout, enrolled
):
    client.force_login(enrolled)
    html = client.get(paid_episode.url).content.decode()
    assert f'href="{_checked_url(handout)}"' in html
    assert "/documents/" not in html and "/media/" not in html


@THROUGH
def test_a_visitor_is_sent_to_sign_in_and_gets_no_bytes(client, paid_episode, handout, through):
    _sent_to_sign_in(client.get(through(handout)))


@THROUGH
def test_a_learner_without_an_enrolment_is_refused_until_enrolled(
    client, paid_episode, handout, through
):
    learner = learner_with_profile()
    client.force_login(learner)
    _refused(client.get(through(handout)))
    Enrolment.objects.create(user=learner, course_id=paid_episode.get_parent().pk)
    assert _download(client, through(handout))[0] == HANDOUT


@THROUGH
@pytest.mark.parametrize("who", ["enrolled", "editor"])
def test_an_enrolled_learner_or_an_editor_downloads_the_handout(
    client, request, paid_episode, handout, through, who
):
    client.force_login(request.getfixturevalue(who))
    body, content_type, disposition = _download(client, through(handout))
    assert body == HANDOUT
    assert content_type == "application/pdf"
    assert disposition == f'attachment; filename="{handout.filename}"'
    assert handout.filename.startswith("handout-wondzorg")


@THROUGH
def test_an_enrolment_opens_only_the_documents_of_that_course(client, handout, enrolled, through):
    other_course = course_publish(title="Stomazorg", episodes=["Huid"], price=Decimal("95"))
    episode = EpisodePage.objects.child_of(other_course).get()
    other = _document("stomazorg.pdf")
    episode.attachments = [EpisodeAttachment(document=other)]
    episode.save_revision().publish()
    client.force_login(enrolled)
    assert _download(client, through(handout))[0] == HANDOUT
    _refused(client.get(through(other)))


@THROUGH
def test_an_unpublished_episode_hands_out_nothing(client, paid_episode, handout, enrolled, through):
    client.force_login(enrolled)
    assert _download(client, through(handout))[0] == HANDOUT
    paid_episode.unpublish()
    _refused(client.get(through(handout)))


def test_a_document_on_no_episode_is_for_editors_only(client, editor):
    linked_in_text = _document("achtergrond.pdf")
    client.force_login(learner_with_profile())
    _refused(client.get(_wagtail_url(linked_in_text)))
    client.force_login(editor)
    body, _content_type, disposition = _download(client, _wagtail_url(linked_in_text))
    assert body == HANDOUT and disposition.startswith("attachment;")


def test_with_s3_a_download_is_a_presigned_redirect_valid_for_a_minute(tmp_path):
    """Signing happens without the bucket: checked here as the bucket itself cannot check it."""
    storage = S3Storage(
        bucket_name="leerstroom-media",
        endpoint_url="http://127.0.0.1:9",
        region_name="eu-central-1",
        access_key="sleutel",
        secret_key="geheim",
        querystring_auth=True,
        signature_version="s3v4",
    )
    file = type("StoredFile", (), {"storage": storage, "name": "documents/hand-out.pdf"})()
    response = private_file_response(
        file=file, filename="hand-out wondzorg.pdf", content_type="application/pdf"
    )
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    query = parse_qs(url.query)
    assert url.path == "/leerstroom-media/documents/hand-out.pdf"
    assert query["X-Amz-Expires"] == ["60"] and query["X-Amz-Signature"][0]
    assert query["response-content-disposition"] == ['attachment; filename="hand-out wondzorg.pdf"']
    assert query["response-cache-control"] == ["private, no-store"]
    assert response["Cache-Control"] == "private, no-store"


# --- Evidence of activities learners add themselves ------------------------------------------


@pytest.fixture
def owner():
    return learner_with_profile()


@pytest.fixture
def evidence_entry(client, owner):
    client.force_login(owner)
    response = client.post(
        "/accreditatie/activiteit-toevoegen/",
        {
            "register": Register.objects.get(slug="venvn").pk,
            "category": ActivityCategory.objects.get(slug="overig").pk,
            "title": "Congres wondzorg",
            "points": "6",
            "earned_on": "2026-02-10",
            "evidence": SimpleUploadedFile("certificaat congres.pdf", EVIDENCE, "text/html"),
        },
    )
    assert response.status_code == 302
    client.logout()
    return LedgerEntry.objects.get(user=owner)


def _evidence_url(entry) -> str:
    return f"/mijn-accreditatie/bewijs/{entry.pk}/"


def test_the_learner_downloads_their_evidence_from_the_dashboard(client, owner, evidence_entry):
    client.force_login(owner)
    assert (
        f'href="{_evidence_url(evidence_entry)}"' in client.get("/accreditatie/").content.decode()
    )
    body, content_type, disposition = _download(client, _evidence_url(evidence_entry))
    assert body == EVIDENCE
    assert content_type == "application/pdf"
    assert disposition.startswith("attachment; filename=") and "certificaat" in disposition


def test_evidence_is_not_for_a_visitor_another_learner_or_an_editor(client, evidence_entry, editor):
    _sent_to_sign_in(client.get(_evidence_url(evidence_entry)))
    for someone in (learner_with_profile(), editor):
        client.force_login(someone)
        _refused(client.get(_evidence_url(evidence_entry)))


def test_staff_with_the_right_download_any_evidence(client, evidence_entry):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="accreditation", codename="view_ledgerentry")
    )
    client.force_login(staff)
    body, _content_type, disposition = _download(client, _evidence_url(evidence_entry))
    assert body == EVIDENCE and disposition.startswith("attachment;")


def test_evidence_with_a_misleading_name_is_offered_as_plain_bytes(client, owner, evidence_entry):
    entry = LedgerEntry.objects.create(
        user=owner,
        register=evidence_entry.register,
        kind=LedgerEntry.Kind.MANUAL,
        points=Decimal("1"),
        category=evidence_entry.category,
        earned_on=evidence_entry.earned_on,
        title="Scholing",
        evidence=ContentFile(EVIDENCE, name="bewijs.html"),
    )
    client.force_login(owner)
    body, content_type, disposition = _download(client, _evidence_url(entry))
    assert body == EVIDENCE
    assert content_type == "application/octet-stream"
    stored_name = entry.evidence.name.rsplit("/", 1)[-1]
    assert stored_name.startswith("bewijs") and stored_name.endswith(".html")
    assert disposition == f'attachment; filename="{stored_name}"'
