"""A trigram index on a person's names as one text (username, display, first and last name),
so that finding people by a few letters or a mistyped name (the quick switcher's
`handbook.selectors.switcher.name_matches`, which matches the same expression) reads the
index instead of every account. PostgreSQL only."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from core.migration_helpers import postgres_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS accounts_user_names_trgm ON accounts_user USING gin "
    "((username || ' ' || display_name || ' ' || first_name || ' ' || last_name) gin_trgm_ops)"
]
BACKWARD = ["DROP INDEX IF EXISTS accounts_user_names_trgm"]


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_user_deactivated_at")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(postgres_only(FORWARD), postgres_only(BACKWARD)),
    ]
