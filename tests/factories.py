import itertools

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


_big_numbers = itertools.count(12345678901)


def learner_with_profile(*, profession_slug: str = "verpleegkundige", big_number: str = ""):
    from accreditation.models import Register
    from accreditation.profiles.services import professional_profile_save
    from catalog.models import Profession

    user = UserFactory()
    professional_profile_save(
        user=user,
        profession_id=Profession.objects.get(slug=profession_slug).id,
        big_number=big_number or str(next(_big_numbers)),
        registers=list(Register.objects.filter(slug="venvn")),
    )
    return user


def course_publish(*, title: str, episodes=(), accreditations=(), tags=None, **fields):
    """A published course under the catalog home, with published episodes (titles) and
    accreditations: (register slug, points, valid until)."""
    from datetime import date
    from decimal import Decimal

    from accreditation.models import ActivityCategory, CourseAccreditation, Register
    from catalog.models import Competency, CoursePage, EpisodePage, HomePage, Profession, Topic

    home = HomePage.objects.get()
    course = CoursePage(title=title, **fields)
    home.add_child(instance=course)
    for register_slug, points, valid_until in accreditations:
        CourseAccreditation.objects.create(
            course=course,
            register=Register.objects.get(slug=register_slug),
            category=ActivityCategory.objects.get(slug="geaccrediteerd"),
            points=Decimal(str(points)),
            activity_id=f"T-{register_slug}",
            valid_from=date(2000, 1, 1),
            valid_until=valid_until,
        )
    models = {"professions": Profession, "competencies": Competency, "topics": Topic}
    for field, slugs in (tags or {}).items():
        model = models[field]
        if field == "topics":
            for slug in slugs:
                model.objects.get_or_create(slug=slug, defaults={"name": slug.title()})
        getattr(course, field).set(model.objects.filter(slug__in=slugs))
    course.save_revision().publish()
    for episode_title in episodes:
        episode = EpisodePage(title=episode_title)
        course.add_child(instance=episode)
        episode.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)


def progress_record(*, user, course, episode=None, share: float, hours_ago: float = 1):
    """Viewing progress as the player will report it: a share of a 10-minute episode."""
    from datetime import timedelta

    from django.utils import timezone

    from catalog.models import EpisodePage
    from playback.models import ViewingProgress

    episode = episode or EpisodePage.objects.child_of(course).first()
    return ViewingProgress.objects.create(
        user=user,
        episode=episode,
        course=course,
        position=600 * share,
        watched_seconds=600 * share,
        duration=600,
        completed_at=timezone.now() if share >= 1 else None,
        last_watched_at=timezone.now() - timedelta(hours=hours_ago),
    )


def end_test_publish(*, episode, questions, **fields):
    """Give an episode its end test and publish it. Questions are (text, answers, explanation)
    with answers as (text, correct) pairs; fields are set on the episode too."""
    from catalog.models import EpisodePage, EpisodeQuestion

    episode = EpisodePage.objects.get(pk=episode.pk)
    for field, value in fields.items():
        setattr(episode, field, value)
    episode.questions = [
        EpisodeQuestion(
            text=text,
            explanation=explanation,
            options=[("option", {"text": answer, "correct": right}) for answer, right in answers],
        )
        for text, answers, explanation in questions
    ]
    episode.save_revision().publish()
    return EpisodePage.objects.get(pk=episode.pk)


def end_test_hand_in(client, learner, episode, *, right: bool = True):
    """Start the episode's end test as the signed-in learner and hand it in, every answer right
    (or wrong); returns the response to handing it in."""
    from catalog.api import end_test_get
    from playback.models import TestAttempt

    url = f"/stream/toets/{episode.pk}/"
    client.get(url)
    attempt = TestAttempt.objects.get(user=learner, episode=episode, submitted_at__isnull=True)
    data = {"attempt": str(attempt.pk)}
    for question in end_test_get(episode_id=episode.pk).questions:
        data[f"question-{question.id}"] = [o.id for o in question.options if o.correct == right][:1]
    return client.post(url, data)
