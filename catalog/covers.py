"""The sizes a course cover is shown in, made when the course is published, and their URLs."""

from functools import cache

from wagtail.images.models import Filter

COVER_SPEC = "fill-640x360|format-webp"
# Every size a course cover is shown in: on cards, and across the top of the course page.
COVER_SPECS = [COVER_SPEC, "fill-1280x540|format-webp"]


def rendition_url(image, spec: str) -> str:
    """The URL of an image's rendition, from the renditions fetched with the image (or Wagtail's
    cache) when it exists. Wagtail's own ``get_rendition``, used when it does not, writes the
    rendition to the cache again on every call: a round trip to Redis per card."""
    found = image.find_existing_renditions(_filter(spec))
    rendition = next(iter(found.values()), None) or image.get_rendition(spec)
    return rendition.url


@cache
def _filter(spec: str) -> Filter:
    """One filter per spec: a filter parses its spec into operations once, on first use."""
    return Filter(spec=spec)
