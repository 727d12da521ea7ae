"""What other apps may ask of the catalog."""

from dataclasses import dataclass

from .models import Profession


@dataclass(frozen=True)
class ProfessionData:
    id: int
    slug: str
    name: str
    big_reregistration: bool


def profession_list() -> list[ProfessionData]:
    return [
        ProfessionData(
            id=profession.id,
            slug=profession.slug,
            name=profession.display_name,
            big_reregistration=profession.big_reregistration,
        )
        for profession in Profession.objects.all()
    ]
