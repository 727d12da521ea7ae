import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

PASSWORD = "een-sterk-wachtwoord-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"learner{n}@ziekenhuis.example")
    first_name = "Anna"
    last_name = "Visser"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def learner_with_profile(*, profession_slug: str = "verpleegkundige", big_number: str = ""):
    from accreditation.models import Register
    from accreditation.services import professional_profile_save
    from catalog.models import Profession

    user = UserFactory()
    professional_profile_save(
        user=user,
        profession_id=Profession.objects.get(slug=profession_slug).id,
        big_number=big_number or "12345678901",
        registers=list(Register.objects.filter(slug="venvn")),
    )
    return user
