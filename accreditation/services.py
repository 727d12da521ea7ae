"""Writes of the accreditation app."""

from django.db import transaction

from .models import ProfessionalProfile, Register, Registration

BIG_REGISTER_SLUG = "big"


@transaction.atomic
def professional_profile_save(
    *, user, profession_id: int, big_number: str, registers: list[Register]
) -> ProfessionalProfile:
    """Store the learner's profession, BIG number and the point registers they are in."""
    profile, _created = ProfessionalProfile.objects.update_or_create(
        user=user, defaults={"profession_id": profession_id, "big_number": big_number}
    )
    _big_registration_sync(user=user, big_number=big_number)

    wanted = {register.id for register in registers}
    current = Registration.objects.filter(user=user, register__kind=Register.Kind.POINTS)
    current.exclude(register_id__in=wanted).delete()
    existing = set(current.values_list("register_id", flat=True))
    Registration.objects.bulk_create(
        [Registration(user=user, register_id=register_id) for register_id in wanted - existing],
        ignore_conflicts=True,
    )
    return profile


def _big_registration_sync(*, user, big_number: str) -> None:
    big = Register.objects.filter(slug=BIG_REGISTER_SLUG).first()
    if big is None:
        return
    if big_number:
        Registration.objects.update_or_create(
            user=user, register=big, defaults={"member_number": big_number}
        )
    else:
        Registration.objects.filter(user=user, register=big).delete()
