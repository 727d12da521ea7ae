"""Demo accounts: one editor and two learners of different professions."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

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
    from accreditation.models import Register
    from accreditation.services import professional_profile_save
    from catalog.models import Profession

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
