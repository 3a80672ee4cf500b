"""The handbook's dictionary of words, for correcting mistyped search words: a table of
distinct words with a trigram GIN index (PostgreSQL only; SQLite searches without
corrections). Filled from the existing pages."""

import re

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from core.migration_helpers import PostgresOnlyAddIndex

# As handbook.selectors.spelling.WORD when this was written.
WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]{3,40}(?![^\W\d_])")


def words_fill(apps, schema_editor):
    Page = apps.get_model("handbook", "Page")
    SearchWord = apps.get_model("handbook", "SearchWord")
    words = set()
    for title, text in Page.objects.values_list("title", "plain_text").iterator():
        words.update(WORD.findall(f"{title} {text}".lower()))
    SearchWord.objects.bulk_create(
        (SearchWord(word=word) for word in sorted(words)), batch_size=1000, ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("handbook", "0006_page_version_history_rules")]

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=40, unique=True)),
            ],
            options={"ordering": ["word"]},
        ),
        PostgresOnlyAddIndex(
            model_name="searchword",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["word"], name="handbook_searchword_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.RunPython(words_fill, migrations.RunPython.noop),
    ]
