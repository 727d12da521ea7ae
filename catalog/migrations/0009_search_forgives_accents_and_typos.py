"""Search that forgives: accents ignored on PostgreSQL (``unaccent`` before Dutch stemming, in
the text search configuration ``dutch_unaccent``), the words of the courses kept for "Did you
mean …?" (trigram-indexed on PostgreSQL), and a folded text column for other databases.

The extensions are created only on PostgreSQL and only when missing. Both are trusted, so a
database owner may create them; where the user may not, a superuser runs
``CREATE EXTENSION unaccent; CREATE EXTENSION pg_trgm;`` first. The search documents are derived data: they are dropped here and written again, with
the new configuration and folding, by the post-migrate build (``catalog.signals``)."""

from django.contrib.postgres.operations import CreateExtension
from django.db import migrations, models

CONFIG = "dutch_unaccent"


class ExtensionKept(CreateExtension):
    """Created on PostgreSQL when missing; kept when migrating back, as other objects may use
    it (Django's own operation would also query pg_extension on other databases then)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


def search_config_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [CONFIG])
        if cursor.fetchone():
            return
    schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.dutch)")
    # Words with letters outside ASCII lose their accents before they are stemmed.
    schema_editor.execute(
        f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem"
    )


def search_config_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


def word_index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX catalog_searchword_trigram ON catalog_searchword "
            "USING gin (word gin_trgm_ops)"
        )


def word_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalog_searchword_trigram")


def search_documents_drop(apps, schema_editor):
    apps.get_model("catalog", "CourseSearchDocument").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0008_episode_test_attempt_limits"),
    ]

    operations = [
        ExtensionKept("unaccent"),
        ExtensionKept("pg_trgm"),
        migrations.RunPython(search_config_create, search_config_drop),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(max_length=40, primary_key=True, serialize=False)),
            ],
        ),
        migrations.RunPython(word_index_create, word_index_drop),
        migrations.AddField(
            model_name="coursesearchdocument",
            name="folded",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(search_documents_drop, migrations.RunPython.noop),
    ]
