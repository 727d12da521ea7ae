"""Course covers drawn locally: a calm gradient in the course's colours with its title."""

import colorsys
import hashlib
import io

from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont


def course_colours(title: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A course's two colours, from its title: its cover and its lectures share them."""
    hue = int(hashlib.sha256(title.encode()).hexdigest()[:4], 16) / 0xFFFF
    start = tuple(int(c * 255) for c in colorsys.hsv_to_rgb(hue, 0.55, 0.45))
    end = tuple(int(c * 255) for c in colorsys.hsv_to_rgb((hue + 0.12) % 1, 0.65, 0.18))
    return start, end


def cover_image_draw(*, title: str, width: int = 1280, height: int = 720) -> bytes:
    """A calm two-tone gradient with the course title, as PNG bytes."""
    start, end = course_colours(title)
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
