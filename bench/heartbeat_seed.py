"""Seeding for the heartbeat benchmark: a webinar with a one-hour video, 20,000 signed-in
learners with their sessions, and a playback session each."""

import uuid
from datetime import timedelta

REDIS_CACHE = "redis://127.0.0.1:6379/9"
REDIS_BROKER = "redis://127.0.0.1:6379/8"
LEARNER_EMAIL = "kijker-{:05d}@webinar.leerstroom.localhost"
COURSE_SLUG = "webinar-sepsis-herkennen"
VIDEO_SECONDS = 3600.0
SEGMENT_SECONDS = 6
RENDITIONS = [
    ("1080p", 1920, 1080, 5_000_000),
    ("720p", 1280, 720, 2_800_000),
    ("360p", 640, 360, 800_000),
]


def schema() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # As a release does: the pages name hashed static files from the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)


def episode_seed():
    """The webinar: a free live course with one episode and a published one-hour video, with
    what a real episode page shows too: a poster, Dutch captions, chapters and a description."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from django.utils import timezone
    from wagtail.rich_text import RichText

    from catalog.models import CoursePage, EpisodeChapter, EpisodePage, HomePage
    from playback.models import Caption, Video

    course = CoursePage.objects.filter(slug=COURSE_SLUG).first()
    if course is not None:
        return EpisodePage.objects.child_of(course).live().specific().get()
    now = timezone.now()
    video = Video.objects.create(
        title="Sepsis herkennen in de eerste uren",
        state=Video.State.READY,
        duration=VIDEO_SECONDS,
        width=1920,
        height=1080,
        has_audio=True,
        generation=1,
        published_generation=1,
        playable_at=now,
        ready_at=now,
    )
    storage = storages["videos"]
    master = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    segments = int(VIDEO_SECONDS // SEGMENT_SECONDS)
    for name, width, height, bandwidth in RENDITIONS:
        master += [
            f"#EXT-X-STREAM-INF:BANDWIDTH={bandwidth},RESOLUTION={width}x{height},"
            f'CODECS="avc1.640028,mp4a.40.2"',
            f"{name}/index.m3u8",
        ]
        media = [
            "#EXTM3U",
            "#EXT-X-VERSION:7",
            f"#EXT-X-TARGETDURATION:{SEGMENT_SECONDS}",
            "#EXT-X-PLAYLIST-TYPE:VOD",
            '#EXT-X-MAP:URI="init.mp4"',
        ]
        for number in range(segments):
            media += [f"#EXTINF:{SEGMENT_SECONDS}.000,", f"segment-{number:05d}.m4s"]
        media.append("#EXT-X-ENDLIST")
        storage.save(
            f"{video.storage_prefix}/{name}/index.m3u8", ContentFile("\n".join(media) + "\n")
        )
    storage.save(f"{video.storage_prefix}/master.m3u8", ContentFile("\n".join(master) + "\n"))
    video.poster = _poster()
    video.save(update_fields=["poster"])
    Caption.objects.create(
        video=video,
        language="nl",
        file=ContentFile("WEBVTT\n\n00:00.000 --> 00:05.000\nWelkom.\n", name="nl.vtt"),
    )

    home = HomePage.objects.get()
    course = CoursePage(title="Webinar: sepsis herkennen", slug=COURSE_SLUG, completion_percent=90)
    home.add_child(instance=course)
    course.save_revision().publish()
    episode = EpisodePage(
        title="Sepsis in de eerste uren",
        slug="sepsis-eerste-uren",
        video=video,
        description=[
            ("heading", {"text": "Wat je leert", "level": "h2"}),
            (
                "paragraph",
                RichText(
                    "<p>Sepsis herken je aan <b>veranderingen</b> die klein beginnen: een snellere "
                    "ademhaling, verwardheid, een lage bloeddruk. Dit webinar laat zien hoe je de "
                    "<i>qSOFA</i> gebruikt en wanneer je opschaalt.</p>"
                    "<ul><li>Vroege signalen</li><li>Het eerste uur</li><li>Overdracht</li></ul>"
                ),
            ),
            ("quote", {"text": "Elk uur telt.", "attribution": "Surviving Sepsis Campaign"}),
        ],
    )
    for minute, title in ((0, "Welkom"), (12, "De eerste signalen"), (35, "Handelen")):
        episode.chapters.add(EpisodeChapter(start=timedelta(minutes=minute), title=title))
    course.add_child(instance=episode)
    episode.save_revision().publish()
    return EpisodePage.objects.get(pk=episode.pk)


def _poster():
    import io

    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.images import get_image_model

    data = io.BytesIO()
    Image.new("RGB", (1920, 1080), (14, 80, 110)).save(data, "JPEG", quality=85)
    return get_image_model().objects.create(
        title="Webinar sepsis", file=ImageFile(data, name="webinar-sepsis.jpg")
    )


def learners_seed(count: int) -> list:
    """``count`` learners without a usable password (they signed in with a code or passkey)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    user_model = get_user_model()
    existing = user_model.objects.filter(email__endswith="@webinar.leerstroom.localhost").count()
    for start in range(existing, count, 5000):
        user_model.objects.bulk_create(
            [
                user_model(
                    email=LEARNER_EMAIL.format(number),
                    first_name="Kijker",
                    last_name=str(number),
                    password=make_password(None),
                )
                for number in range(start, min(count, start + 5000))
            ]
        )
    emails = [LEARNER_EMAIL.format(number) for number in range(count)]
    by_email = {user.email: user for user in user_model.objects.filter(email__in=emails)}
    return [by_email[email] for email in emails]


def sessions_seed(learners: list) -> list[str]:
    """A signed-in Django session per learner, written to the database and the cache as
    ``cached_db`` keeps them; returns the session keys, in the learners' order."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.contrib.sessions.models import Session
    from django.core.cache import caches
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accreditation.api import ONBOARDED_SESSION_KEY

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    Session.objects.all().delete()
    expires = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    keys, rows, cached = [], [], {}
    for learner in learners:
        key = get_random_string(32, VALID_KEY_CHARS)
        data = {
            SESSION_KEY: str(learner.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: learner.get_session_auth_hash(),
            ONBOARDED_SESSION_KEY: True,  # they completed their profile long ago
        }
        keys.append(key)
        rows.append(Session(session_key=key, session_data=store_class().encode(data)))
        rows[-1].expire_date = expires
        cached[store_class(session_key=key).cache_key] = data
    Session.objects.bulk_create(rows, batch_size=5000)
    cache = caches[settings.SESSION_CACHE_ALIAS]
    items = list(cached.items())
    for start in range(0, len(items), 5000):
        cache.set_many(dict(items[start : start + 5000]), settings.SESSION_COOKIE_AGE)
    return keys


def playback_sessions_seed(
    learners: list, session_keys: list[str], episode, *, buffer: bool
) -> list[str]:
    """A playback session per learner, started ten minutes ago so that a minute of beats is
    well inside what the wall-clock cap allows; earlier runs' sessions and progress go."""
    from django.utils import timezone

    from playback.models import PlaybackSession, ViewingProgress

    PlaybackSession.objects.all().delete()
    ViewingProgress.objects.all().delete()
    course = episode.get_parent().specific
    started = timezone.now() - timedelta(minutes=10)
    sessions = [
        PlaybackSession(
            id=uuid.uuid4(),
            user_id=learner.pk,
            episode_id=episode.pk,
            course_id=course.pk,
            duration=episode.video.duration,
            completion_share=course.completion_percent / 100,
            started_at=started,
        )
        for learner in learners
    ]
    PlaybackSession.objects.bulk_create(sessions, batch_size=5000)
    if buffer:
        from playback.services.heartbeat_buffer import session_remember

        for session, key in zip(sessions, session_keys, strict=True):  # as the endpoint does
            session_remember(session, session_key=key)
    return [str(session.pk) for session in sessions]


def redis_reset() -> None:
    """Empty the benchmark's own Redis databases (cache, sessions, buffer; broker)."""
    import redis

    for url in (REDIS_CACHE, REDIS_BROKER):
        redis.Redis.from_url(url).flushdb()
