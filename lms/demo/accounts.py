"""Demo accounts: one editor and two learners of different professions."""

from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accreditation.models import Register
from accreditation.profiles.services import professional_profile_save
from catalog.models import CoursePage, EpisodePage, Profession
from playback.models import ViewingProgress

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


# What the demo learners have watched: (e-mail, course slug, episode number, share watched).
DEMO_HISTORY = [
    ("verpleegkundige@leerstroom.localhost", "palliatieve-zorg-de-basis", 0, 1.0),
    ("verpleegkundige@leerstroom.localhost", "palliatieve-zorg-de-basis", 1, 0.4),
    ("verpleegkundige@leerstroom.localhost", "wondzorg-decubitus", 0, 0.7),
    ("huisarts@leerstroom.localhost", "melanoom-herkennen-in-de-huisartsenpraktijk", 0, 0.3),
    ("huisarts@leerstroom.localhost", "covid-19-in-de-eerste-lijn", 0, 1.0),
]
DEMO_EPISODE_SECONDS = 600.0


def demo_history_seed() -> int:
    """Give the demo learners some viewing history, once; returns how many entries were made."""

    from django.utils import timezone

    user_model = get_user_model()
    now = timezone.now()
    created = 0
    for age, (email, course_slug, number, share) in enumerate(DEMO_HISTORY):
        user = user_model.objects.filter(email=email).first()
        course = CoursePage.objects.filter(slug=course_slug).first()
        if user is None or course is None:
            continue
        episodes = list(EpisodePage.objects.child_of(course).select_related("video"))
        if number >= len(episodes):
            continue
        episode = episodes[number]
        duration = (episode.video.duration if episode.video else None) or DEMO_EPISODE_SECONDS
        _progress, made = ViewingProgress.objects.get_or_create(
            user=user,
            episode=episode,
            defaults={
                "course": course,
                "position": duration * share,
                "watched_seconds": duration * share,
                "duration": duration,
                "completed_at": now if share >= 1 else None,
                "last_watched_at": now - timedelta(hours=age + 1),
            },
        )
        created += made
    return created
