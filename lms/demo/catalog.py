"""The demo catalog (``catalog_data``), with covers drawn locally."""

import colorsys
import hashlib
import io
import time
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from accreditation.models import ActivityCategory, CourseAccreditation, Register
from catalog.models import (
    Competency,
    CoursePage,
    EpisodePage,
    FeaturedCollection,
    FeaturedCollectionItem,
    HomePage,
    Profession,
    Provider,
    Sponsor,
    Topic,
)
from playback.models import Video

from .catalog_data import (
    ACCREDITATION_ENDS_IN_DAYS,
    COURSES,
    FEATURED,
    LECTURES,
    PROVIDERS,
    SPONSORS,
    TOPICS,
)

# SQLite's write lock has no queue: a writer that commits and begins again at once keeps a waiting
# worker out past its busy timeout (20 s) for as long as it goes on. A pause longer than SQLite's
# longest busy-wait sleep (100 ms) after each course lets the worker's lease renewal in.
WRITE_LOCK_PAUSE_SECONDS = 0.15


def cover_image_draw(*, title: str, width: int = 1280, height: int = 720) -> bytes:
    """A calm two-tone gradient with the course title, as PNG bytes."""
    hue = int(hashlib.sha256(title.encode()).hexdigest()[:4], 16) / 0xFFFF
    start = tuple(int(c * 255) for c in colorsys.hsv_to_rgb(hue, 0.55, 0.45))
    end = tuple(int(c * 255) for c in colorsys.hsv_to_rgb((hue + 0.12) % 1, 0.65, 0.18))
    image = PillowImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for x in range(width):
        mix = x / width
        colour = tuple(int(a + (b - a) * mix) for a, b in zip(start, end, strict=True))
        draw.line([(x, 0), (x, height)], fill=colour)
    draw.ellipse(
        (width * 0.62, -height * 0.3, width * 1.25, height * 0.8), outline=(255, 255, 255), width=3
    )
    font = ImageFont.load_default(size=64)
    words, lines, line = title.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > width * 0.7 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    # Kept inside the middle 540 pixels, which survive the wide crop on the course page.
    y = (height + 540) // 2 - 40 - len(lines) * 78
    for text in lines:
        draw.text((72, y), text, font=font, fill=(245, 248, 250))
        y += 78
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def demo_catalog_seed() -> int:
    """Create the demo courses that are missing, with their episodes and accreditation;
    returns how many courses were created. Safe to run again."""
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
    lectures = {v.title: v for v in Video.objects.filter(title__in=LECTURES)}
    created = 0
    for spec in COURSES:
        if CoursePage.objects.filter(slug=spec["slug"]).exists():
            continue
        with transaction.atomic():
            _course_create(home, spec, providers, sponsors, topics, lectures)
        created += 1
        if connection.vendor == "sqlite" and not connection.is_in_memory_db():
            time.sleep(WRITE_LOCK_PAUSE_SECONDS)
    _featured_seed()
    return created


def _featured_seed() -> None:
    for position, (title, title_en, intro, items) in enumerate(FEATURED):
        if FeaturedCollection.objects.filter(title=title).exists():
            continue
        collection = FeaturedCollection.objects.create(
            title=title, title_en=title_en, intro=intro, sort_order=position
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
    for title, lecture in spec["episodes"]:
        episode = EpisodePage(
            title=title,
            video=lectures.get(LECTURES[lecture]) if lecture is not None else None,
            description=[("paragraph", RichText(f"<p>{title}.</p>"))],
        )
        course.add_child(instance=episode)
        episode.save_revision().publish()
    return course


def _activity_id(course_slug: str, register: str) -> str:
    digest = hashlib.sha256(f"{course_slug}/{register}".encode()).hexdigest()
    return f"DEMO-{int(digest[:8], 16) % 900000 + 100000}"


def _body(spec: dict) -> list:
    episodes = [title for title, _lecture in spec["episodes"]]
    if episodes:
        items = "".join(f"<li>{title}</li>" for title in episodes)
        text = f"<p>In {len(episodes)} afleveringen:</p><ul>{items}</ul>"
    else:
        text = "<p>Je krijgt na aanmelding een bevestiging met alle praktische informatie.</p>"
    return [
        ("heading", {"text": "Wat je leert", "level": "h2"}),
        ("paragraph", RichText(text)),
    ]
