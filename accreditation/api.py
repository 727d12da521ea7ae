"""What other apps may ask of accreditation."""

from dataclasses import dataclass

from .models import ProfessionalProfile, Registration

# Set in the session once a learner has a profile, so the check costs no query afterwards.
ONBOARDED_SESSION_KEY = "leerstroom_onboarded"


@dataclass(frozen=True)
class LearnerProfile:
    profession_id: int
    profession_slug: str
    profession_name: str
    big_number: str
    register_ids: tuple[int, ...]


def learner_profile_exists(*, user_id: int) -> bool:
    return ProfessionalProfile.objects.filter(user_id=user_id).exists()


def learner_profile_get(*, user_id: int) -> LearnerProfile | None:
    profile = (
        ProfessionalProfile.objects.select_related("profession").filter(user_id=user_id).first()
    )
    if profile is None:
        return None
    register_ids = tuple(
        Registration.objects.filter(user_id=user_id).values_list("register_id", flat=True)
    )
    return LearnerProfile(
        profession_id=profile.profession_id,
        profession_slug=profile.profession.slug,
        profession_name=profile.profession.display_name,
        big_number=profile.big_number,
        register_ids=register_ids,
    )
