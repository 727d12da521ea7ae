"""A small starter catalog for the demo site, with covers drawn locally."""

import colorsys
import hashlib
import io

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

from .models import CoursePage, HomePage, Profession

STARTER_COURSES = [
    {
        "slug": "melanoom-herkennen-in-de-huisartsenpraktijk",
        "title": "Melanoom herkennen in de huisartsenpraktijk",
        "subtitle": "Van ABCDE-regel tot dermatoscopie",
        "summary": "Leer verdachte moedervlekken herkennen en beslis met vertrouwen wanneer je verwijst.",
        "professions": ["arts", "praktijkondersteuner", "doktersassistent"],
        "duration_minutes": 90,
    },
    {
        "slug": "palliatieve-zorg-de-basis",
        "title": "Palliatieve zorg: de basis",
        "subtitle": "Symptoombestrijding en het goede gesprek",
        "summary": "Herken de palliatieve fase, bestrijd pijn en benauwdheid, en voer het gesprek over wensen.",
        "professions": ["verpleegkundige", "arts", "verzorgende-ig"],
        "duration_minutes": 120,
    },
    {
        "slug": "reanimatie-bls-en-aed",
        "title": "Reanimatie: BLS en AED",
        "subtitle": "Volgens de richtlijnen van de Nederlandse Reanimatie Raad",
        "summary": "Frissen je reanimatievaardigheden op: herkennen, alarmeren, reanimeren en defibrilleren.",
        "professions": ["verpleegkundige", "doktersassistent", "fysiotherapeut", "tandarts"],
        "duration_minutes": 45,
    },
    {
        "slug": "interprofessioneel-samenwerken-in-het-mdo",
        "title": "Interprofessioneel samenwerken in het MDO",
        "subtitle": "Samen beslissen rond de kwetsbare oudere",
        "summary": "Hoe je een multidisciplinair overleg voorbereidt, voert en vastlegt, met casuïstiek uit de praktijk.",
        "professions": ["verpleegkundige", "arts", "fysiotherapeut", "ergotherapeut"],
        "duration_minutes": 60,
    },
]


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
    y = height - 90 - len(lines) * 78
    for text in lines:
        draw.text((72, y), text, font=font, fill=(245, 248, 250))
        y += 78
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def starter_catalog_seed() -> int:
    """Create the starter courses that are missing; returns how many were created."""
    home = HomePage.objects.first()
    if home is None:
        return 0
    image_model = get_image_model()
    created = 0
    for spec in STARTER_COURSES:
        if CoursePage.objects.filter(slug=spec["slug"]).exists():
            continue
        cover = image_model(title=spec["title"])
        cover.file = ImageFile(
            io.BytesIO(cover_image_draw(title=spec["title"])), name=f"{spec['slug']}.png"
        )
        cover.save()
        course = CoursePage(
            title=spec["title"],
            slug=spec["slug"],
            subtitle=spec["subtitle"],
            summary=spec["summary"],
            duration_minutes=spec["duration_minutes"],
            cover_image=cover,
        )
        home.add_child(instance=course)
        course.professions.set(Profession.objects.filter(slug__in=spec["professions"]))
        course.save_revision().publish()
        created += 1
    return created
