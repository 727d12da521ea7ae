from django.db import migrations, models
from django.db.models import Exists, F, OuterRef


def cut_videos_mark(apps, schema_editor):
    """Videos already in parts were cut in one go before their parts were queued."""
    Video = apps.get_model("playback", "Video")
    TranscodePart = apps.get_model("playback", "TranscodePart")
    parts = TranscodePart.objects.filter(video=OuterRef("pk"), generation=OuterRef("generation"))
    Video.objects.filter(Exists(parts)).update(parts_cut_generation=F("generation"))


class Migration(migrations.Migration):
    dependencies = [
        ("playback", "0013_sessions_superseded"),
    ]

    operations = [
        migrations.AddField(
            model_name="video",
            name="parts_cut_generation",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(cut_videos_mark, migrations.RunPython.noop),
    ]
