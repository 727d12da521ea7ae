"""The sizes a course cover is shown in, made when the course is published."""

COVER_SPEC = "fill-640x360|format-webp"
# Every size a course cover is shown in: on cards, and across the top of the course page.
COVER_SPECS = [COVER_SPEC, "fill-1280x540|format-webp"]
