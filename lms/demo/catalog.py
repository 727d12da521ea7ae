"""The demo catalog (``catalog_data``, ``course_data``), with covers drawn locally and a lecture
of its own for every episode (``lectures``)."""

import hashlib
import io
import time
from collections import Counter
from collections.abc import Collection
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex
from wagtail.rich_text import RichText
from wagtail.signal_handlers import disable_reference_index_auto_update

from accreditation.models import ActivityCategory, CourseAccreditation, Register
from catalog.api import search_documents_batched
from catalog.models import (
    Competency,
    CoursePage,
    CourseSpeaker,
    EpisodePage,
    FeaturedCollection,
    FeaturedCollectionItem,
    HomePage,
    Profession,
    Provider,
    Speaker,
    Sponsor,
    Topic,
)
from playback.models import Video

from .catalog_data import (
    ACCREDITATION_ENDS_IN_DAYS,
    FEATURED,
    FEATURED_INTROS_EN,
    PROVIDERS,
    SPEAKERS,
    SPONSORS,
    TOPICS,
)
from .course_data import COURSES
from .covers import cover_image_draw
from .lectures import demo_lecture_name

# SQLite's write lock has no queue: a writer that commits and begins again at once keeps a waiting
# worker out past its busy timeout (20 s) for as long as it goes on. A pause longer than SQLite's
# longest busy-wait sleep (100 ms) after each course lets the worker's lease renewal in.
WRITE_LOCK_PAUSE_SECONDS = 0.15


def demo_catalog_seed(*, slugs: Collection[str] | None = None) -> int:
    """Create the demo courses that are missing (of those with these slugs, or all), with
    their episodes and accreditation; returns how many courses were created. Safe to run
    again."""
    home = HomePage.objects.first()
    if home is None:
        return 0
    providers = [
        Provider.objects.get_or_create(name=name, defaults={"website": site, "description": text})[
            0
        ]
        for name, site, text in PROVIDERS
    ]
    sponsors = [
        Sponsor.objects.get_or_create(name=name, defaults={"website": site})[0]
        for name, site in SPONSORS
    ]
    topics = {
        slug: Topic.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en})[0]
        for slug, name, name_en in TOPICS
    }
    lectures = _lectures_stored()
    created = 0
    for spec in COURSES:
        if slugs is not None and spec["slug"] not in slugs:
            continue
        if CoursePage.objects.filter(slug=spec["slug"]).exists():
            continue
        # Wagtail's reference index would be written again on every save of a page and its
        # revisions (about five times a page); it is written once, when the course is whole.
        with transaction.atomic(), search_documents_batched():
            with disable_reference_index_auto_update():
                course = _course_create(home, spec, providers, sponsors, topics, lectures)
            for page in course.get_descendants(inclusive=True).specific():
                ReferenceIndex.create_or_update_for_object(page)
            ReferenceIndex.create_or_update_for_object(course.cover_image)
        created += 1
        if connection.vendor == "sqlite" and not connection.is_in_memory_db():
            time.sleep(WRITE_LOCK_PAUSE_SECONDS)
    _featured_seed()
    return created


def demo_speakers_seed() -> int:
    """Give the demo courses without speakers the speakers of their first two topics; returns
    how many courses got them. Safe to run again."""
    given = 0
    for spec in COURSES:
        course = CoursePage.objects.filter(slug=spec["slug"]).first()
        if course is None or course.speakers.exists():
            continue
        chosen = [SPEAKERS[slug] for slug in spec["topics"] if slug in SPEAKERS][:2]
        if not chosen:
            continue
        speakers = [
            Speaker.objects.get_or_create(name=name, defaults={"role": role, "bio": bio})[0]
            for name, role, bio in chosen
        ]
        # Through a revision, so an editor's next publish keeps them.
        course = course.get_latest_revision_as_object()
        course.speakers = [CourseSpeaker(speaker=speaker) for speaker in speakers]
        with transaction.atomic():
            course.save_revision().publish()
        given += 1
    return given


def _lectures_stored() -> dict:
    """The demo lectures in the video library, by file name."""
    names = [
        demo_lecture_name(spec["slug"], number)
        for spec in COURSES
        for number in range(1, len(spec["episodes"]) + 1)
    ]
    return {video.source_name: video for video in Video.objects.filter(source_name__in=names)}


def demo_episode_lectures_link() -> int:
    """Give each demo episode that has no lecture of its own (none, or one it shares with other
    episodes, as seeded before every episode had one) its lecture; returns how many changed.
    An episode an editor gave a video of its own keeps it."""
    lectures = _lectures_stored()
    shared = Counter(EpisodePage.objects.exclude(video=None).values_list("video_id", flat=True))
    changed = 0
    for spec in COURSES:
        course = CoursePage.objects.filter(slug=spec["slug"]).first()
        if course is None:
            continue
        episodes = EpisodePage.objects.child_of(course).order_by("path")
        for number, (episode, (title, _line)) in enumerate(
            zip(episodes, spec["episodes"], strict=False), start=1
        ):
            lecture = lectures.get(demo_lecture_name(spec["slug"], number))
            own = episode.video_id is not None and shared[episode.video_id] == 1
            if lecture is None or own or episode.title != title:
                continue
            episode.video = lecture
            with transaction.atomic():
                episode.save_revision().publish()
            changed += 1
    return changed


def _featured_seed() -> None:
    for position, (title, title_en, intro, items) in enumerate(FEATURED):
        intro_en = FEATURED_INTROS_EN.get(title, "")
        existing = FeaturedCollection.objects.filter(title=title)
        if existing.exists():
            existing.filter(intro_en="").update(intro_en=intro_en)  # seeded before it had one
            continue
        collection = FeaturedCollection.objects.create(
            title=title, title_en=title_en, intro=intro, intro_en=intro_en, sort_order=position
        )
        courses = {
            course.slug: course
            for course in CoursePage.objects.filter(slug__in=[slug for slug, _pitch in items])
        }
        FeaturedCollectionItem.objects.bulk_create(
            FeaturedCollectionItem(
                collection=collection, course=courses[slug], pitch=pitch, sort_order=i
            )
            for i, (slug, pitch) in enumerate(items)
            if slug in courses
        )


def _course_create(home, spec, providers, sponsors, topics, lectures) -> CoursePage:
    cover = get_image_model()(title=spec["title"])
    cover.file = ImageFile(
        io.BytesIO(cover_image_draw(title=spec["title"])), name=f"{spec['slug']}.png"
    )
    cover.save()
    course = CoursePage(
        title=spec["title"],
        slug=spec["slug"],
        subtitle=spec["subtitle"],
        summary=spec["summary"],
        body=_body(spec),
        cover_image=cover,
        provider=providers[spec["provider"]],
        format=spec.get("format", CoursePage.Format.ON_DEMAND),
        level=spec.get("level", CoursePage.Level.BASIC),
        language=spec.get("language", "nl"),
        price=Decimal(spec.get("price", 0)),
    )
    if "starts_in_days" in spec:
        course.starts_at = (timezone.now() + timedelta(days=spec["starts_in_days"])).replace(
            hour=19, minute=30, second=0, microsecond=0
        )
    if "place" in spec:
        course.venue, course.address, latitude, longitude = spec["place"]
        course.latitude, course.longitude = Decimal(str(latitude)), Decimal(str(longitude))
    if "sponsor" in spec:
        course.sponsor_disclosure = (
            f"{sponsors[spec['sponsor']].name} betaalde de opnames. De sponsor had geen invloed "
            "op de inhoud, de sprekers of de toetsvragen."
        )
    home.add_child(instance=course)
    course.professions.set(Profession.objects.filter(slug__in=spec["professions"]))
    course.competencies.set(Competency.objects.filter(slug__in=spec["competencies"]))
    course.topics.set([topics[slug] for slug in spec["topics"]])
    if "sponsor" in spec:
        course.sponsors.set([sponsors[spec["sponsor"]]])
    today = timezone.localdate()
    valid_until = date(today.year + 1, 12, 31)
    if spec["slug"] in ACCREDITATION_ENDS_IN_DAYS:
        valid_until = today + timedelta(days=ACCREDITATION_ENDS_IN_DAYS[spec["slug"]])
    for register, points, category in spec["accreditations"]:
        CourseAccreditation.objects.create(
            course=course,
            register=Register.objects.get(slug=register),
            category=ActivityCategory.objects.get(slug=category),
            points=Decimal(str(points)),
            activity_id=_activity_id(spec["slug"], register),
            valid_from=date(today.year, 1, 1),
            valid_until=valid_until,
        )
    course.save_revision().publish()
    for number, (title, line) in enumerate(spec["episodes"], start=1):
        episode = EpisodePage(
            title=title,
            video=lectures.get(demo_lecture_name(spec["slug"], number)),
            description=[("paragraph", RichText(f"<p>{escape(line)}</p>"))],
        )
        course.add_child(instance=episode)
        episode.save_revision().publish()
    return course


def _activity_id(course_slug: str, register: str) -> str:
    digest = hashlib.sha256(f"{course_slug}/{register}".encode()).hexdigest()
    return f"DEMO-{int(digest[:8], 16) % 900000 + 100000}"


def _body(spec: dict) -> list:
    episodes = [title for title, _line in spec["episodes"]]
    if episodes:
        items = "".join(f"<li>{title}</li>" for title in episodes)
        text = f"<p>In {len(episodes)} afleveringen:</p><ul>{items}</ul>"
    else:
        text = "<p>Je krijgt na aanmelding een bevestiging met alle praktische informatie.</p>"
    return [
        ("heading", {"text": "Wat je leert", "level": "h2"}),
        ("paragraph", RichText(text)),
    ]
