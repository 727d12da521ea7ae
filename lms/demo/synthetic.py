"""A synthetic catalog of any size, with learners and their viewing history, for load tests
and benchmarks.

Pages are written in bulk (tree paths worked out here, one INSERT per batch per table) rather
than through ``add_child`` and revisions, so 10,000 courses with 50,000 episodes take seconds,
not hours. The result is what published pages look like: live, with URL paths, and with their
search documents built."""

import io
import random
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from accreditation.models import ActivityCategory, CourseAccreditation, Register
from accreditation.profiles.services import professional_profile_save
from catalog.models import (
    Competency,
    CoursePage,
    EpisodePage,
    HomePage,
    Profession,
    Provider,
    Topic,
)
from catalog.search_index import course_search_documents_refresh
from playback.models import ViewingProgress

from .covers import cover_image_draw

WORDS = [
    "zorg",
    "patiënt",
    "medicatie",
    "pijn",
    "gesprek",
    "richtlijn",
    "ouderen",
    "diabetes",
    "wond",
    "hart",
    "long",
    "huid",
    "infectie",
    "preventie",
    "leefstijl",
    "dementie",
    "delier",
    "palliatief",
    "reanimatie",
    "triage",
    "casus",
    "samenwerking",
    "communicatie",
    "veiligheid",
    "kwaliteit",
    "onderzoek",
    "ethiek",
    "voeding",
    "beweging",
    "slaap",
    "angst",
    "depressie",
    "kind",
    "zwangerschap",
    "verloskunde",
    "apotheek",
    "tandheelkunde",
    "revalidatie",
]
BATCH = 1000
COVERS = 12


@dataclass(frozen=True)
class SyntheticCatalog:
    course_ids: list[int]
    learner_id: int
    colleague_ids: list[int]


def _title(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def _insert_rows(model, instances) -> None:
    """Insert rows of a model's own table (for a page type: the child table) in batches."""
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    rows = [
        [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
        for obj in instances
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


@dataclass(frozen=True)
class _Parent:
    pk: int
    path: str
    depth: int
    url_path: str
    locale_id: int
    next_position: int


def _parent(page: Page) -> _Parent:
    last = page.get_last_child()
    position = (Page._str2int(last.path[-Page.steplen :]) if last else 0) + 1
    return _Parent(page.pk, page.path, page.depth, page.url_path, page.locale_id, position)


def _pages_create(children: list[tuple[_Parent, Page]], published_at) -> None:
    """Create live pages of one type, each under its parent after the parent's existing
    children; sets each page's id and path."""
    model = type(children[0][1])
    content_type = ContentType.objects.get_for_model(model)
    positions: dict[int, int] = {}
    bases = []
    for parent, page in children:
        position = positions.get(parent.pk, parent.next_position)
        positions[parent.pk] = position + 1
        page.path = Page._get_path(parent.path, parent.depth + 1, position)
        page.depth = parent.depth + 1
        page.url_path = f"{parent.url_path}{page.slug}/"
        bases.append(
            Page(
                title=page.title,
                draft_title=page.title,
                slug=page.slug,
                path=page.path,
                depth=page.depth,
                numchild=0,
                url_path=page.url_path,
                content_type=content_type,
                locale_id=parent.locale_id,
                translation_key=uuid.uuid4(),
                live=True,
                has_unpublished_changes=False,
                first_published_at=published_at(page),
                last_published_at=published_at(page),
            )
        )
    for start in range(0, len(bases), BATCH):
        Page.objects.bulk_create(bases[start : start + BATCH])
    for (_parent_info, page), base in zip(children, bases, strict=True):
        page.page_ptr_id = page.id = base.id
    _insert_rows(model, [page for _parent_info, page in children])
    added: dict[int, list[int]] = {}
    for parent, _page in children:
        added.setdefault(positions[parent.pk] - parent.next_position, []).append(parent.pk)
    for count, parent_pks in added.items():
        Page.objects.filter(pk__in=set(parent_pks)).update(numchild=F("numchild") + count)


def _covers() -> list:
    image_model = get_image_model()
    covers = list(image_model.objects.filter(title__startswith="Synthetic cover ")[:COVERS])
    for number in range(len(covers), COVERS):
        image = image_model(title=f"Synthetic cover {number}")
        png = cover_image_draw(title=f"Cursus {number}", width=640, height=360)
        image.file = ImageFile(io.BytesIO(png), name=f"synthetic-{number}.png")
        image.save()
        covers.append(image)
    return covers


@transaction.atomic
def synthetic_catalog_create(
    *,
    courses: int,
    episodes_per_course: int = 5,
    colleagues: int = 50,
    history: int = 40,
    ending_share: float = 0.1,
    format_weights: tuple[int, int, int] = (8, 1, 1),
    seed: int = 1,
) -> SyntheticCatalog:
    """Add ``courses`` live courses to the catalog home, with episodes, tags, accreditation,
    a learner who watched ``history`` courses and colleagues of the same profession who watched
    recently. ``ending_share`` of the courses have accreditation ending within 60 days;
    ``format_weights`` weigh on-demand, webinar and classroom courses."""
    rng = random.Random(seed)
    home = HomePage.objects.get()
    now = timezone.now()
    today = timezone.localdate()
    professions = list(Profession.objects.all())
    competencies = list(Competency.objects.all())
    topics = list(Topic.objects.all()) or [
        Topic.objects.create(name=f"Onderwerp {i}", slug=f"onderwerp-{i}") for i in range(12)
    ]
    providers = list(Provider.objects.all()) or [
        Provider.objects.create(name=f"Aanbieder {i}") for i in range(8)
    ]
    registers = list(Register.objects.filter(kind=Register.Kind.POINTS))
    categories = list(ActivityCategory.objects.all())
    covers = _covers()
    run = uuid.uuid4().hex[:6]

    specs = []
    for number in range(courses):
        format_ = rng.choices(list(CoursePage.Format.values), weights=format_weights)[0]
        course = CoursePage(
            title=_title(rng, 4),
            slug=f"cursus-{run}-{number}",
            subtitle=_title(rng, 6),
            summary=" ".join(_title(rng, 12) for _ in range(2)),
            cover_image=covers[number % len(covers)],
            provider=rng.choice(providers),
            format=format_,
            language=rng.choices(["nl", "en"], weights=[9, 1])[0],
            price=Decimal(rng.choice([0, 0, 0, 25, 49, 95, 150])),
            level=rng.choice(list(CoursePage.Level.values)),
            duration_minutes=rng.randint(10, 240),
        )
        if format_ != CoursePage.Format.ON_DEMAND:
            course.starts_at = now + timedelta(days=rng.randint(1, 120))
        if format_ == CoursePage.Format.CLASSROOM:
            course.venue, course.address = "Zorgacademie", "Stationsplein 1"
            course.latitude = Decimal(str(round(rng.uniform(50.8, 53.4), 5)))
            course.longitude = Decimal(str(round(rng.uniform(3.5, 7.1), 5)))
        specs.append(course)
    home_parent = _parent(home)
    newest_last = {
        course.slug: now - timedelta(minutes=courses - i) for i, course in enumerate(specs)
    }
    _pages_create([(home_parent, course) for course in specs], lambda page: newest_last[page.slug])
    course_pages = specs

    first_episode: dict[int, int] = {}
    published = {course.path: newest_last[course.slug] for course in course_pages}
    if episodes_per_course:
        children = []
        for course in course_pages:
            parent = _Parent(
                course.pk, course.path, course.depth, course.url_path, home.locale_id, 1
            )
            children += [
                (parent, EpisodePage(title=_title(rng, 5), slug=f"aflevering-{number + 1}"))
                for number in range(episodes_per_course)
            ]
        _pages_create(children, lambda page: published[page.path[: -Page.steplen]])
        for parent, episode in children:
            first_episode.setdefault(parent.pk, episode.pk)

    _tags_create(rng, course_pages, professions, competencies, topics)
    _accreditations_create(rng, course_pages, registers, categories, today, ending_share)
    ids = [course.pk for course in course_pages]
    course_search_documents_refresh(course_ids=ids)
    learner_id, colleague_ids = _learners_create(
        rng, first_episode, professions, registers, colleagues, history, run
    )
    return SyntheticCatalog(course_ids=ids, learner_id=learner_id, colleague_ids=colleague_ids)


def _tags_create(rng, courses, professions, competencies, topics) -> None:
    for field, choices, most in (
        ("professions", professions, 4),
        ("competencies", competencies, 3),
        ("topics", topics, 3),
    ):
        through = getattr(CoursePage, field).through
        column = CoursePage._meta.get_field(field).m2m_reverse_field_name()
        rows = [
            through(coursepage_id=course.pk, **{f"{column}_id": choice.pk})
            for course in courses
            for choice in rng.sample(choices, rng.randint(1, min(most, len(choices))))
        ]
        through.objects.bulk_create(rows, batch_size=BATCH)


def _accreditations_create(rng, courses, registers, categories, today, ending_share) -> None:
    rows = []
    for course in courses:
        ends_soon = rng.random() < ending_share
        for order, register in enumerate(rng.sample(registers, rng.randint(1, 3))):
            rows.append(
                CourseAccreditation(
                    course_id=course.pk,
                    register=register,
                    category=rng.choice(categories),
                    points=Decimal(rng.choice([1, 1.5, 2, 3, 4, 6, 8])),
                    activity_id=f"SYN-{course.pk}-{register.pk}",
                    valid_from=today - timedelta(days=200),
                    valid_until=today + timedelta(days=rng.randint(5, 55) if ends_soon else 500),
                    sort_order=order,
                )
            )
    CourseAccreditation.objects.bulk_create(rows, batch_size=BATCH)


def _learners_create(rng, first_episode, professions, registers, colleagues, history, run):
    """A learner with a profession, two registers and history; colleagues who watched."""
    user_model = get_user_model()
    learners = []
    for number in range(colleagues + 1):
        user = user_model.objects.create(
            email=f"synthetisch-{run}-{number}@leerstroom.localhost",
            first_name="Test",
            last_name=f"Leerling {number}",
        )
        professional_profile_save(
            user=user, profession_id=professions[0].pk, big_number="", registers=registers[:2]
        )
        learners.append(user)
    now = timezone.now()
    course_ids = list(first_episode)
    progress = []
    for number, user in enumerate(learners):
        watched = rng.sample(course_ids, min(len(course_ids), history if number == 0 else 8))
        for order, course_id in enumerate(watched):
            seconds = 600.0 if order % 3 == 0 else 300.0
            progress.append(
                ViewingProgress(
                    user=user,
                    episode_id=first_episode[course_id],
                    course_id=course_id,
                    position=seconds,
                    watched_seconds=seconds,
                    duration=600.0,
                    completed_at=now if seconds == 600.0 else None,
                    last_watched_at=now - timedelta(hours=rng.randint(1, 24 * 40)),
                )
            )
    ViewingProgress.objects.bulk_create(progress, batch_size=BATCH)
    return learners[0].pk, [user.pk for user in learners[1:]]
