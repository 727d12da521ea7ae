from datetime import timedelta

from django.db import migrations

from live.reference_data import CHECKS_RULE, ROOM_RULE, presence_rules_load
from lms.accounts.permissions import editors_grant

# A course's start time becomes its first session; how long it lasts when the course does not
# say (no episodes), and how many places a room has, until an editor sets them.
MINUTES_WHEN_UNKNOWN = {"webinar": 90, "classroom": 180}
CLASSROOM_PLACES = 20


def load_presence_rules(apps, schema_editor):
    presence_rules_load(apps.get_model("live.PresenceRule"))


def sessions_from_course_start(apps, schema_editor):
    """Each webinar or classroom course with a start time gets that as its first session."""
    CoursePage = apps.get_model("catalog.CoursePage")
    LiveSession = apps.get_model("live.LiveSession")
    PresenceRule = apps.get_model("live.PresenceRule")
    rules = {
        "classroom": PresenceRule.objects.get(name=ROOM_RULE),
        "webinar": PresenceRule.objects.get(name=CHECKS_RULE),
    }
    courses = CoursePage.objects.filter(
        format__in=list(MINUTES_WHEN_UNKNOWN), starts_at__isnull=False
    ).exclude(live_sessions__isnull=False)
    for course in courses:
        minutes = course.duration_minutes or MINUTES_WHEN_UNKNOWN[course.format]
        LiveSession.objects.create(
            course=course,
            starts_at=course.starts_at,
            ends_at=course.starts_at + timedelta(minutes=minutes),
            capacity=CLASSROOM_PLACES if course.format == "classroom" else None,
            rule=rules[course.format],
        )


def grant_editor_permissions(apps, schema_editor):
    editors_grant(apps, app_label="live", model="livesession", actions=("add", "change"))


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0001_initial"),
        ("catalog", "0010_speakers_and_spoken_lines"),
    ]

    operations = [
        migrations.RunPython(load_presence_rules, migrations.RunPython.noop),
        migrations.RunPython(sessions_from_course_start, migrations.RunPython.noop),
        migrations.RunPython(grant_editor_permissions, migrations.RunPython.noop),
    ]
