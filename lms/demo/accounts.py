"""Demo accounts: one editor and two learners of different professions, what the learners
watched and completed, and a voucher for the paid course."""

from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accreditation.models import Register
from accreditation.profiles.services import professional_profile_save
from catalog.models import CoursePage, EpisodePage, Profession
from playback.models import ViewingProgress, Voucher
from playback.services.completion import course_completion_check, course_completion_get

from .lectures import demo_lecture_name, demo_lectures

DEMO_PASSWORD = "leerstroom-demo"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    role: str
    profession: str = ""
    big_number: str = ""
    registers: tuple[str, ...] = ()
    editor: bool = False


DEMO_ACCOUNTS = [
    DemoAccount(
        email="redacteur@leerstroom.localhost",
        first_name="Eva",
        last_name="Bakker",
        role="Redacteur en eindredacteur (Wagtail-beheer op /admin/)",
        profession="anders",
        editor=True,
    ),
    DemoAccount(
        email="verpleegkundige@leerstroom.localhost",
        first_name="Sanne",
        last_name="de Vries",
        role="Verpleegkundige, V&VN Kwaliteitsregister",
        profession="verpleegkundige",
        big_number="19012345601",
        registers=("venvn",),
    ),
    DemoAccount(
        email="huisarts@leerstroom.localhost",
        first_name="Daan",
        last_name="Jansen",
        role="Huisarts, RGS-register huisartsen",
        profession="arts",
        big_number="49012345601",
        registers=("rgs-huisarts",),
    ),
]


def demo_accounts_seed() -> list[DemoAccount]:
    """Create the demo accounts that are missing; existing ones keep their password."""

    user_model = get_user_model()
    # Editors write and submit pages; Moderators (Wagtail's own group) also publish them.
    editor_groups = Group.objects.filter(name__in=["Editors", "Moderators"])
    for account in DEMO_ACCOUNTS:
        user, created = user_model.objects.get_or_create(
            email=account.email,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "is_staff": account.editor,
            },
        )
        if not created:
            continue
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        if account.editor:
            user.groups.add(*editor_groups)
        professional_profile_save(
            user=user,
            profession_id=Profession.objects.get(slug=account.profession).id,
            big_number=account.big_number,
            registers=list(Register.objects.filter(slug__in=account.registers)),
        )
    return DEMO_ACCOUNTS


# What the demo learners have watched: (e-mail, course slug, episode number, share watched,
# hours ago). A course whose every episode is watched is completed through the real services,
# so its points are in the ledger and its certificate is issued.
DEMO_HISTORY = [
    ("verpleegkundige@leerstroom.localhost", "reanimatie-bls-en-aed", 0, 1.0, 50),
    ("verpleegkundige@leerstroom.localhost", "reanimatie-bls-en-aed", 1, 1.0, 49),
    ("verpleegkundige@leerstroom.localhost", "delier-herkennen", 0, 1.0, 26),
    ("verpleegkundige@leerstroom.localhost", "delier-herkennen", 1, 1.0, 25),
    ("verpleegkundige@leerstroom.localhost", "palliatieve-zorg-de-basis", 0, 1.0, 3),
    ("verpleegkundige@leerstroom.localhost", "palliatieve-zorg-de-basis", 1, 0.4, 2),
    ("verpleegkundige@leerstroom.localhost", "wondzorg-decubitus", 0, 0.7, 5),
    ("huisarts@leerstroom.localhost", "covid-19-in-de-eerste-lijn", 0, 1.0, 30),
    ("huisarts@leerstroom.localhost", "covid-19-in-de-eerste-lijn", 1, 1.0, 29),
    ("huisarts@leerstroom.localhost", "melanoom-herkennen-in-de-huisartsenpraktijk", 0, 0.3, 4),
]

# A code for the paid on-demand demo course, printed with the demo logins.
DEMO_VOUCHER_CODE = "SAMEN-BESLISSEN"
DEMO_VOUCHER_COURSE = "english-shared-decision-making"
DEMO_VOUCHER_USES = 100


def demo_history_seed() -> int:
    """Give the demo learners some viewing history, once; returns how many entries were made."""
    user_model = get_user_model()
    seconds = {lecture.name: lecture.seconds for lecture in demo_lectures()}
    now = timezone.now()
    created = 0
    for email, course_slug, number, share, hours_ago in DEMO_HISTORY:
        user = user_model.objects.filter(email=email).first()
        course = CoursePage.objects.filter(slug=course_slug).first()
        if user is None or course is None:
            continue
        episodes = list(EpisodePage.objects.child_of(course).select_related("video"))
        if number >= len(episodes):
            continue
        episode = episodes[number]
        duration = (episode.video.duration if episode.video else None) or seconds[
            demo_lecture_name(course_slug, number + 1)
        ]
        watched_at = now - timedelta(hours=hours_ago)
        _progress, made = ViewingProgress.objects.get_or_create(
            user=user,
            episode=episode,
            defaults={
                "course": course,
                "position": duration * share,
                "watched_ranges": [[0.0, duration * share]],
                "watched_seconds": duration * share,
                "duration": duration,
                "completed_at": watched_at if share >= 1 else None,
                "last_watched_at": watched_at,
            },
        )
        created += made
    return created


def demo_completions_seed() -> int:
    """Complete the demo courses the demo learners watched in full, as playback does after the
    last heartbeat: accreditation awards the points and issues the certificate. Returns how
    many completions are new."""
    made = 0
    watched = {(email, slug) for email, slug, _number, _share, _hours in DEMO_HISTORY}
    for email, slug in sorted(watched):
        user = get_user_model().objects.filter(email=email).first()
        course = CoursePage.objects.filter(slug=slug).first()
        if user is None or course is None:
            continue
        if course_completion_get(user_id=user.pk, course_id=course.pk) is not None:
            continue
        if course_completion_check(user_id=user.pk, course_id=course.pk) is not None:
            made += 1
    return made


def demo_voucher_seed() -> Voucher | None:
    """The demo voucher for the paid course (made once), or None without that course."""
    course = CoursePage.objects.filter(slug=DEMO_VOUCHER_COURSE).first()
    if course is None:
        return None
    voucher, _created = Voucher.objects.get_or_create(
        code=DEMO_VOUCHER_CODE,
        defaults={
            "course": course,
            "max_uses": DEMO_VOUCHER_USES,
            "note": "Demo: voor iedereen die de betaalde cursus wil proberen.",
        },
    )
    return voucher
