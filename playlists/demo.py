"""A demo learning path for the demo nurse, so the library is not empty on first look."""

from django.contrib.auth import get_user_model

from catalog.models import CoursePage

from .models import LearningPath
from .services import path_create, path_item_add

DEMO_PATHS = [
    (
        "verpleegkundige@leerstroom.localhost",
        "Palliatieve zorg opfrissen",
        "Voor de nachtdiensten op de afdeling: van de basis tot het slechtnieuwsgesprek.",
        [
            "palliatieve-zorg-de-basis",
            "palliatieve-sedatie",
            "slecht-nieuws-gesprek",
            "delier-herkennen",
        ],
    ),
]


def demo_paths_seed() -> int:
    """Create the demo paths that are missing; returns how many were made."""
    made = 0
    for email, title, description, slugs in DEMO_PATHS:
        owner = get_user_model().objects.filter(email=email).first()
        if owner is None or LearningPath.objects.filter(owner=owner, title=title).exists():
            continue
        path = path_create(owner=owner, title=title, description=description)
        for course in sorted(
            CoursePage.objects.filter(slug__in=slugs), key=lambda c: slugs.index(c.slug)
        ):
            path_item_add(path=path, actor=owner, course_id=course.pk)
        made += 1
    return made
