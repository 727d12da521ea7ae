"""Who is looking at the catalog: what the rows, cards and search need to know of a learner."""

from dataclasses import dataclass

from accreditation import api as accreditation_api


@dataclass(frozen=True)
class Learner:
    user_id: int | None = None
    profession_id: int | None = None
    profession_name: str = ""
    # None for a visitor or a learner without registrations: cards then show any register.
    register_ids: tuple[int, ...] | None = None

    @property
    def is_signed_in(self) -> bool:
        return self.user_id is not None


ANONYMOUS = Learner()


def learner_for(request) -> Learner:
    """The learner behind a request, looked up once per request."""
    cached = getattr(request, "_catalog_learner", None)
    if cached is not None:
        return cached
    user = request.user
    learner = ANONYMOUS
    if user.is_authenticated:
        profile = accreditation_api.learner_profile_get(user_id=user.pk)
        if profile is None:
            learner = Learner(user_id=user.pk)
        else:
            learner = Learner(
                user_id=user.pk,
                profession_id=profile.profession_id,
                profession_name=profile.profession_name,
                register_ids=profile.register_ids or None,
            )
    request._catalog_learner = learner
    return learner
