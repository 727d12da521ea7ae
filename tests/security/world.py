"""A small site with something of everything, for walking every URL as each kind of visitor:
one learner owns it all (paths, certificate, evidence, test attempt, enrolment), another learner
owns nothing, an editor has the Editors group's rights only, staff have every permission."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.documents import get_document_model

from accreditation import api as accreditation_api
from accreditation.deadlines.feed import calendar_feed_renew
from accreditation.ledger.services import manual_activity_add
from accreditation.models import (
    ActivityCategory,
    BigNumberClaim,
    Certificate,
    Register,
    Registration,
)
from accreditation.work_hours.services import work_hours_entry_add
from catalog.models import EpisodeAttachment, EpisodePage
from live.door import door_token
from live.presence_online import presence_check_open
from live.registration import session_register
from playback.delivery import master_url
from playback.models import Enrolment, PlaybackSession, TestAttempt, UploadSession, Video
from playlists.models import CuratedPath
from playlists.services import path_create, path_invite_create, path_item_add
from tests.factories import course_publish, end_test_publish, learner_with_profile
from tests.live.factories import (
    classroom_course,
    session_make,
    webinar_course,
    webinar_session_make,
)

EVIDENCE = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% evidence\n%%EOF\n"
HANDOUT = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% handout\n%%EOF\n"


@dataclass(frozen=True)
class Person:
    user: object
    # What nobody else may see of this person on a page.
    private: tuple[str, ...]


@dataclass
class World:
    people: dict[str, Person]
    course: object
    paid_course: object
    episode: EpisodePage
    paid_episode: EpisodePage
    document: object
    attempt: TestAttempt
    path: object
    path_item: object
    invite_token: str
    curated_slug: str
    certificate: Certificate
    evidence_entry: object
    work_hours_entry: object
    calendar_token: str
    session: PlaybackSession
    master_url: str
    video: Video
    claim: BigNumberClaim
    upload: UploadSession
    # The owner's RGS registration, with a personal reduction and the register's decision.
    reduction_registration: object = None
    # Sessions the owner has a place at: a classroom course's (with its door code) and a
    # webinar's (with a presence check still to come); one a provider registers for itself.
    classroom_session: object = None
    webinar_session: object = None
    external_session: object = None
    presence_check: object = None
    door_token: str = ""

    def user(self, actor: str):
        return self.people[actor].user if actor in self.people else None


def _person(*, first: str, last: str, email: str, big_number: str, **fields) -> Person:
    user = learner_with_profile(big_number=big_number)
    user.first_name, user.last_name, user.email = first, last, email
    for field, value in fields.items():
        setattr(user, field, value)
    user.save()
    user.emailaddress_set.update(email=email)
    return Person(user, (email, big_number, last))


def world_build() -> World:
    owner = _person(
        first="Floor", last="Verbeek", email="floor.verbeek@umc.example", big_number="19012345601"
    )
    other = _person(
        first="Daan", last="Kuipers", email="daan.kuipers@vvt.example", big_number="29012345602"
    )
    editor = _person(
        first="Eva", last="Redacteur", email="eva@leerstroom.example", big_number="39012345603"
    )
    editor.user.is_staff = True
    editor.user.save()
    editor.user.groups.add(Group.objects.get(name="Editors"))
    staff = _person(
        first="Sem",
        last="Beheer",
        email="sem@leerstroom.example",
        big_number="49012345604",
        is_staff=True,
        is_superuser=True,
    )

    far = date(2030, 12, 31)
    course = course_publish(
        title="Wondzorg", episodes=["Decubitus"], accreditations=[("venvn", 3, far)]
    )
    paid_course = course_publish(title="Echografie", episodes=["Hart"], price=Decimal("95"))
    video = Video.objects.create(
        title="College", state=Video.State.READY, duration=600.0, published_generation=1
    )
    prefix = f"videos/{video.uuid}/hls/1"
    playlists = storages["videos"]
    playlists.save(
        f"{prefix}/master.m3u8",
        ContentFile(b"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n360p/index.m3u8\n"),
    )
    playlists.save(
        f"{prefix}/360p/index.m3u8",
        ContentFile(b"#EXTM3U\n#EXTINF:6,\nseg0.m4s\n#EXT-X-ENDLIST\n"),
    )
    episode = EpisodePage.objects.child_of(course).get()
    episode.video = video
    episode.save_revision().publish()
    paid_episode = EpisodePage.objects.child_of(paid_course).get()
    document = get_document_model().objects.create(
        title="Hand-out", file=ContentFile(HANDOUT, name="handout.pdf")
    )
    paid_episode.video = video
    paid_episode.attachments = [EpisodeAttachment(document=document, title="Hand-out")]
    paid_episode.save_revision().publish()
    paid_episode = end_test_publish(
        episode=paid_episode,
        questions=[("Wat is 2 + 2?", [("4", True), ("5", False)], "Rekenen.")],
    )
    Enrolment.objects.create(user=owner.user, course=paid_course)

    from playback.services.assessment import attempt_start

    attempt = attempt_start(user=owner.user, episode_id=paid_episode.pk)

    path = path_create(owner=owner.user, title="Mijn wondzorg")
    item = path_item_add(path=path, actor=owner.user, course_id=course.pk)
    invite = path_invite_create(path=path, by=owner.user)
    curated = CuratedPath(slug="basis", title="Basis", sections=[])
    curated.save()
    curated.save_revision().publish()

    accreditation_api.course_completed(
        user_id=owner.user.pk, course_id=course.pk, completed_at=timezone.now()
    )
    entry = manual_activity_add(
        user=owner.user,
        register=Register.objects.get(slug="venvn"),
        category_id=ActivityCategory.objects.get(slug="geaccrediteerd").pk,
        title="Congres",
        points=Decimal(2),
        earned_on=timezone.localdate(),
        evidence=SimpleUploadedFile("bewijs.pdf", EVIDENCE, "application/pdf"),
    )
    work_hours = work_hours_entry_add(
        user=owner.user,
        kind="actual",
        start=date(2025, 1, 1),
        end=date(2025, 1, 31),
        hours=Decimal(100),
        hours_per_week=None,
        employer="UMC",
    )
    feed = calendar_feed_renew(user=owner.user)
    session = PlaybackSession.objects.create(
        user=owner.user,
        episode=episode,
        course=course,
        duration=600,
        completion_share=0.9,
        started_at=datetime.now(tz=timezone.get_current_timezone()),
    )
    claim = BigNumberClaim.objects.create(user=other.user, big_number="19012345601")
    reduction_registration = Registration.objects.create(
        user=owner.user,
        register=Register.objects.get(slug="rgs"),
        period_end=date(2026, 12, 31),
        reduction_granted=Decimal(40),
        reduction_evidence=ContentFile(EVIDENCE, name="besluit-rgs.pdf"),
    )
    live = _live_sessions(owner=owner.user)
    return World(
        people={
            "owner": owner,
            "other": other,
            "editor": editor,
            "staff": staff,
        },
        course=course,
        paid_course=paid_course,
        episode=episode,
        paid_episode=paid_episode,
        document=document,
        attempt=attempt,
        path=path,
        path_item=item,
        invite_token=invite.token,
        curated_slug="basis",
        certificate=Certificate.objects.get(user=owner.user),
        evidence_entry=entry,
        work_hours_entry=work_hours,
        calendar_token=feed.token,
        session=session,
        master_url=master_url(video=video, user=owner.user),
        video=video,
        claim=claim,
        upload=UploadSession.objects.create(
            user=editor.user, title="College", filename="college.mp4", size=1000
        ),
        reduction_registration=reduction_registration,
        **live,
    )


def _live_sessions(*, owner) -> dict:
    classroom = session_make(course=classroom_course(title="Reanimatie"), capacity=10)
    webinar = webinar_session_make(course=webinar_course(title="Webinar ouderenzorg"))
    external = session_make(
        course=classroom_course(title="Echografie op locatie"),
        registration_url="https://aanbieder.example/inschrijven",
    )
    for session in (classroom, webinar):
        session_register(session_id=session.pk, user=owner)
    check = presence_check_open(
        session_id=webinar.pk,
        kind="still_watching",
        opens_at=webinar.starts_at + timedelta(minutes=10),
    )
    return {
        "classroom_session": classroom,
        "webinar_session": webinar,
        "external_session": external,
        "presence_check": check,
        "door_token": door_token(session_id=classroom.pk),
    }
