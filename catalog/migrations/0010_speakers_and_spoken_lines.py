"""Speakers of courses, and what is said in videos (their caption cues) for search, with a GIN
index on the full-text vector where the database has one (PostgreSQL). The lines are derived
data: ``manage.py spoken_lines_index`` writes them for captions saved before."""

import django.contrib.postgres.search
import django.db.models.deletion
import modelcluster.fields
import modelsearch.index
from django.db import migrations, models

from lms.accounts.permissions import editors_grant


def grant_editor_permissions(apps, schema_editor):
    editors_grant(apps, app_label="catalog", model="speaker", actions=("add", "change", "delete"))


def vector_index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX catalog_spoken_vector_gin ON catalog_spokenline USING gin (vector)"
        )


def vector_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalog_spoken_vector_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_search_forgives_accents_and_typos"),
        ("playback", "0013_sessions_superseded"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.CreateModel(
            name="Speaker",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                (
                    "role",
                    models.CharField(
                        blank=True,
                        help_text="Profession and where they work, e.g. “Wondconsulent, Isala Zwolle”.",
                        max_length=150,
                        verbose_name="role",
                    ),
                ),
                (
                    "bio",
                    models.TextField(
                        blank=True,
                        help_text="Two or three sentences: what they do and why they teach this.",
                        max_length=400,
                        verbose_name="short bio",
                    ),
                ),
                (
                    "photo",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailimages.image",
                        verbose_name="photo",
                    ),
                ),
            ],
            options={
                "verbose_name": "speaker",
                "verbose_name_plural": "speakers",
                "ordering": ["name"],
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.CreateModel(
            name="CourseSpeaker",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                (
                    "course",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="speakers",
                        to="catalog.coursepage",
                    ),
                ),
                (
                    "speaker",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalog.speaker",
                        verbose_name="speaker",
                    ),
                ),
            ],
            options={
                "verbose_name": "speaker",
                "verbose_name_plural": "speakers",
                "ordering": ["sort_order"],
                "abstract": False,
                "constraints": [
                    models.UniqueConstraint(
                        fields=("course", "speaker"), name="course_speaker_once"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="SpokenLine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("language", models.CharField(max_length=10)),
                ("start", models.FloatField()),
                ("text", models.TextField()),
                ("folded", models.TextField(blank=True, default="")),
                ("vector", django.contrib.postgres.search.SearchVectorField(null=True)),
                (
                    "video",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="spoken_lines",
                        to="playback.video",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["video", "start"], name="spoken_line_video_start")
                ],
            },
        ),
        migrations.RunPython(vector_index_create, vector_index_drop),
        migrations.RunPython(grant_editor_permissions, migrations.RunPython.noop),
    ]
