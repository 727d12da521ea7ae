"""A demo learning path for the demo nurse, so the library is not empty on first look."""

from django.contrib.auth import get_user_model

from catalog.models import CoursePage

from .made_for_you import made_for_you_refresh
from .models import CuratedPath, LearningPath
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


# Curated paths: (slug, title, intro, [(section title, section intro, [course slugs])]).
DEMO_CURATED = [
    (
        "palliatieve-zorg-de-basis",
        "Palliatieve zorg — de basis",
        "Alles wat je nodig hebt om mensen in hun laatste levensfase goed te begeleiden.",
        [
            (
                "Herkennen",
                "Wanneer begint de palliatieve fase, en wat verandert er dan?",
                ["palliatieve-zorg-de-basis", "delier-herkennen"],
            ),
            ("Behandelen", "Symptomen bestrijden volgens de richtlijn.", ["palliatieve-sedatie"]),
            (
                "Het gesprek",
                "Slecht nieuws brengen en samen beslissen.",
                ["slecht-nieuws-gesprek", "english-shared-decision-making"],
            ),
        ],
    ),
    (
        "herregistratie-verpleegkundige",
        "Herregistratie verpleegkundige: 184 punten in vijf jaar",
        "Een evenwichtige mix van geaccrediteerde scholing voor het Kwaliteitsregister V&VN.",
        [
            (
                "Vakinhoudelijk",
                "",
                ["wondzorg-decubitus", "valpreventie-thuis", "delier-herkennen"],
            ),
            (
                "Samenwerken en communiceren",
                "",
                ["interprofessioneel-samenwerken-in-het-mdo", "slecht-nieuws-gesprek"],
            ),
            (
                "Kwaliteit en veiligheid",
                "",
                ["melden-incidenten-en-leren", "werkdruk-en-veerkracht"],
            ),
        ],
    ),
]


def demo_curated_seed() -> int:
    """Create and publish the demo curated paths that are missing."""
    made = 0
    for order, (slug, title, intro, sections) in enumerate(DEMO_CURATED):
        if CuratedPath.objects.filter(slug=slug).exists():
            continue
        courses = {
            course.slug: course
            for course in CoursePage.objects.filter(
                slug__in=[s for _t, _i, slugs in sections for s in slugs]
            )
        }
        curated = CuratedPath(
            slug=slug,
            title=title,
            intro=intro,
            sort_order=order,
            sections=[
                (
                    "section",
                    {
                        "title": section_title,
                        "intro": section_intro,
                        "items": [courses[s] for s in slugs if s in courses],
                    },
                )
                for section_title, section_intro, slugs in sections
            ],
        )
        curated.save()
        curated.save_revision().publish()
        made += 1
    return made


def demo_made_for_you_seed(emails) -> int:
    """Make the "Made for you" paths of these learners now, rather than at night."""
    users = get_user_model().objects.filter(email__in=list(emails))
    return sum(made_for_you_refresh(user_id=user.pk) for user in users)
