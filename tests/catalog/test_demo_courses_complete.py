"""The demo shows the product: every on-demand demo course can be finished, each episode has a
lecture of its own with Dutch captions, the home page shows the catalog and search finds it,
the demo learners have history, points and certificates, and the paid course has a voucher.
Lectures are not transcoded here: the pipeline has its own tests
(tests/playback/test_library_admin.py sends a demo lecture through it)."""

import dataclasses
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase

from accreditation.models import Certificate, LedgerEntry
from catalog.models import CoursePage, EpisodePage, SpokenLine
from lms.demo import accounts, catalog
from lms.demo.course_data import COURSES
from lms.demo.lectures import MAX_SECONDS, MIN_SECONDS, demo_lecture_name, demo_lectures
from playback import demo
from playback.api import resume_points
from playback.captions import captions_to_webvtt
from playback.models import Caption, CourseCompletion, Video, ViewingProgress, Voucher
from playback.services.enrolment import voucher_redeem
from playback.services.finishable import courses_unfinishable
from playback.services.probing import source_probe, source_validate
from tests.factories import learner_with_profile

CUE_TIMING = re.compile(r"^(\d\d):(\d\d)\.(\d\d\d) --> (\d\d):(\d\d)\.(\d\d\d)$", re.MULTILINE)
SAID_IN_DUTCH = ("Welkom bij", "Aflevering")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _said(webvtt: str) -> str:
    """What the captions say, cue after cue, without the header and the times."""
    return _flat(" ".join(line for line in webvtt.split("\n")[1:] if "-->" not in line))


def _cue_ends(webvtt: str) -> list[float]:
    return [int(m[4]) * 60 + int(m[5]) + int(m[6]) / 1000 for m in CUE_TIMING.finditer(webvtt)]


def test_every_demo_episode_has_a_short_lecture_of_its_own_named_after_it():
    lectures = iter(demo_lectures())
    for spec in COURSES:
        for number, (title, _line) in enumerate(spec["episodes"], start=1):
            lecture = next(lectures)
            assert lecture.name == demo_lecture_name(spec["slug"], number)
            assert (lecture.course_title, lecture.episode_title) == (spec["title"], title)
            assert lecture.title == f"{spec['title']} — {title}"
            assert MIN_SECONDS <= lecture.seconds <= MAX_SECONDS
    assert next(lectures, None) is None
    every = demo_lectures()
    assert len({lecture.name for lecture in every}) == len(every) == 64
    assert len({lecture.title for lecture in every}) == len(every)


def test_each_demo_lecture_has_dutch_captions_that_say_its_episode_within_the_clip():
    lectures = iter(demo_lectures())
    for spec in COURSES:
        for title, line in spec["episodes"]:
            lecture = next(lectures)
            captions = lecture.captions_nl
            assert captions_to_webvtt(captions.encode()) == captions  # valid WebVTT as it is
            said = _said(captions)
            assert all(words in said for words in SAID_IN_DUTCH)
            assert title.rstrip("?") in said
            assert spec["title"] in said
            assert _flat(line) in said
            ends = _cue_ends(captions)
            assert len(ends) >= 4 and max(ends) <= lecture.seconds
            cue_lines = [text for text in captions.split("\n") if text and "-->" not in text]
            assert all(len(text) <= 42 for text in cue_lines[1:])  # after the WEBVTT header


def test_a_demo_lecture_is_a_clip_the_pipeline_accepts(tmp_path):
    lecture = dataclasses.replace(demo_lectures()[0], seconds=2)
    path = demo.demo_clip_render(lecture=lecture, folder=tmp_path)
    facts = source_validate(source_probe(path))
    assert (facts.width, facts.height, facts.video_codec) == (1280, 720, "h264")
    assert facts.has_audio
    assert facts.duration == pytest.approx(2, abs=0.1)


def _stand_in_render(*, lecture, folder):
    """Writes the file without ffmpeg: what it holds is tested above, and nothing here
    transcodes it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / lecture.name
    path.write_bytes(b"stand-in for a rendered demo lecture")
    return path


def _seed() -> dict[str, int]:
    """Everything seed_demo makes for these tests, in its order; how many of each were new."""
    counts = {"accounts": len(accounts.demo_accounts_seed())}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(demo, "demo_clip_render", _stand_in_render)
        counts["videos"] = demo.demo_videos_seed(lectures=demo_lectures())
    counts["courses"] = catalog.demo_catalog_seed()
    counts["linked"] = catalog.demo_episode_lectures_link()
    counts["speakers"] = catalog.demo_speakers_seed()
    counts["history"] = accounts.demo_history_seed()
    # The award and the certificate follow the completion's commit, as they do in the seed.
    with TestCase.captureOnCommitCallbacks(execute=True):
        counts["completions"] = accounts.demo_completions_seed()
    counts["voucher"] = accounts.demo_voucher_seed().pk
    return counts


@pytest.fixture(scope="module")
def seeded(module_rows):
    """The demo, seeded once for this module (the catalog takes half a minute)."""
    return module_rows(_seed)


def _row_counts() -> dict[str, int]:
    models = (
        Video, Caption, CoursePage, EpisodePage, ViewingProgress, CourseCompletion, LedgerEntry,
        Certificate, Voucher,
    )  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.slow
@pytest.mark.django_db
def test_every_on_demand_demo_course_can_be_finished_once_its_lectures_are_transcoded(seeded):
    assert seeded["videos"] == 64
    assert seeded["linked"] == 0
    on_demand = CoursePage.objects.live().filter(format=CoursePage.Format.ON_DEMAND)
    assert on_demand.count() == 30
    video_ids = []
    for course in on_demand:
        required = EpisodePage.objects.child_of(course).live().filter(required=True)
        assert required.exists(), course.title
        for number, episode in enumerate(required.order_by("path").select_related("video"), 1):
            assert episode.video is not None, f"{course.title}: {episode.title}"
            assert episode.video.source_name == demo_lecture_name(course.slug, number)
            assert episode.video.title == f"{course.title} — {episode.title}"
            video_ids.append(episode.video_id)
    assert len(video_ids) == len(set(video_ids)) == 64

    waiting = courses_unfinishable()  # until the worker has transcoded the lectures
    assert {course.course_title for course in waiting} == {course.title for course in on_demand}
    Video.objects.update(state=Video.State.READY)  # what the worker does after the seed
    assert courses_unfinishable() == []


@pytest.mark.slow
@pytest.mark.django_db
def test_each_demo_lecture_in_the_library_has_its_dutch_captions(seeded):
    lectures = {lecture.name: lecture for lecture in demo_lectures()}
    captions = Caption.objects.select_related("video")
    assert captions.count() == 64
    for caption in captions:
        assert caption.language == "nl"
        assert caption.file.name.endswith("/captions/nl.vtt")
        with caption.file.open("rb") as handle:
            text = handle.read().decode()
        assert text == lectures[caption.video.source_name].captions_nl
        assert _flat(text).startswith("WEBVTT 00:00.500 --> ")
        assert "Welkom bij" in text


@pytest.mark.slow
@pytest.mark.django_db
def test_what_the_demo_lectures_say_is_searchable_and_the_courses_have_speakers(seeded):
    # Every cue of every demo caption is a spoken line, written as the captions were saved.
    cues = sum(lecture.captions_nl.count("-->") for lecture in demo_lectures())
    assert SpokenLine.objects.count() == cues
    said = SpokenLine.objects.filter(video__source_name=demo_lecture_name("wondzorg-decubitus", 1))
    assert any("decubitus" in line.text for line in said)
    wound = CoursePage.objects.get(slug="wondzorg-decubitus")
    assert [row.speaker.role for row in wound.speakers.all()]
    assert all(CoursePage.objects.get(slug=spec["slug"]).speakers.exists() for spec in COURSES)


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_learners_have_history_points_and_a_certificate(seeded):
    nurse = get_user_model().objects.get(email="verpleegkundige@leerstroom.localhost")
    course = CoursePage.objects.get(slug="reanimatie-bls-en-aed")
    award = LedgerEntry.objects.get(user=nurse, course_id=course.pk, kind=LedgerEntry.Kind.AWARD)
    assert (award.register.slug, award.points) == ("venvn", 1)
    certificate = Certificate.objects.get(user=nurse, course_id=course.pk)
    assert certificate.learner_name == "Sanne de Vries"
    assert certificate.revoked_at is None
    # And accredited points, the category V&VN asks most of.
    delirium = CoursePage.objects.get(slug="delier-herkennen")
    accredited = LedgerEntry.objects.get(user=nurse, course_id=delirium.pk)
    assert (accredited.category.slug, accredited.points) == ("geaccrediteerd", Decimal("1.5"))
    started = CoursePage.objects.get(slug="palliatieve-zorg-de-basis")
    assert started.pk in {point.course_id for point in resume_points(user_id=nurse.pk, limit=5)}
    assert not CourseCompletion.objects.filter(user=nurse, course=started).exists()

    doctor = get_user_model().objects.get(email="huisarts@leerstroom.localhost")
    assert LedgerEntry.objects.filter(user=doctor, register__slug="rgs-huisarts").exists()
    assert Certificate.objects.filter(user=doctor).count() == 1
    assert seeded["completions"] == 3


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_voucher_opens_the_paid_course(seeded):
    voucher = Voucher.objects.get(code=accounts.DEMO_VOUCHER_CODE)
    assert voucher.course.specific.price > 0
    assert voucher.max_uses > 1  # everyone trying the demo can use it
    enrolment = voucher_redeem(user=learner_with_profile(), code="samen beslissen")
    assert enrolment.course_id == voucher.course_id


@pytest.mark.slow
@pytest.mark.django_db
def test_the_home_page_shows_the_demo_catalog(client, seeded):
    response = client.get("/")
    assert response.status_code == 200
    hero = response.text[response.text.index('class="hero') : response.text.index("</section>")]
    assert "Interprofessioneel samenwerken in het MDO" in hero  # the first featured course
    assert "Uitgelicht: verder dan je eigen vak" in response.text
    assert COURSES[-1]["title"] in response.text  # the newest
    assert ".webp" in response.text  # covers are served as WebP renditions


@pytest.mark.slow
@pytest.mark.django_db
def test_search_finds_a_demo_course_and_escapes_the_query(client, seeded):
    client.force_login(learner_with_profile())
    response = client.get("/zoeken/", {"q": "palliatieve"})
    assert "Palliatieve zorg: de basis" in response.text
    assert "Reanimatie" not in response.text
    response = client.get("/zoeken/", {"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


@pytest.mark.slow
@pytest.mark.django_db
def test_seeding_again_makes_nothing_twice(seeded):
    assert seeded["courses"] == len(COURSES) >= 30
    before = _row_counts()
    again = _seed()
    assert {key: again[key] for key in ("videos", "courses", "linked", "speakers", "history")} == {
        "videos": 0,
        "courses": 0,
        "linked": 0,
        "speakers": 0,
        "history": 0,
    }
    assert again["completions"] == 0
    assert again["voucher"] == seeded["voucher"]
    assert _row_counts() == before


@pytest.mark.slow
@pytest.mark.django_db
def test_episodes_seeded_before_each_had_a_lecture_get_their_own(seeded):
    """Demo content from before (episodes without a video, or sharing one) is brought up to date
    by the next seed; a video an editor gave an episode is kept."""
    course = CoursePage.objects.get(slug="melanoom-herkennen-in-de-huisartsenpraktijk")
    episodes = list(EpisodePage.objects.child_of(course).order_by("path"))
    shared = Video.objects.create(title="Melanoom: de ABCDE-regel in beeld")
    EpisodePage.objects.filter(pk__in=[episodes[0].pk, episodes[1].pk]).update(video=shared)
    EpisodePage.objects.filter(pk=episodes[2].pk).update(video=None)
    other = EpisodePage.objects.child_of(CoursePage.objects.get(slug="delier-herkennen")).first()
    chosen = Video.objects.create(title="Delier: opname van de nascholingsavond")
    EpisodePage.objects.filter(pk=other.pk).update(video=chosen)

    assert catalog.demo_episode_lectures_link() == 3
    for number, episode in enumerate(EpisodePage.objects.child_of(course).order_by("path"), 1):
        assert episode.video.source_name == demo_lecture_name(course.slug, number)
        assert episode.live and not episode.has_unpublished_changes
    other.refresh_from_db()
    assert other.video == chosen
    assert catalog.demo_episode_lectures_link() == 0
