from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("playback", "0012_test_attempts_and_course_completions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="playbacksession",
            name="superseded_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="playbacksession",
            index=models.Index(
                condition=models.Q(("superseded_at__isnull", True)),
                fields=["user", "episode"],
                name="session_live",
            ),
        ),
    ]
