"""A GIN index on the title and heading parts of the page's full-text vector (weights A and
B), so that search finds the pages naming the words there without ranking every page that
mentions them in passing (handbook.selectors.search._text_matches). PostgreSQL only."""

from django.db import migrations

from core.migration_helpers import postgres_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS handbook_page_search_head_gin ON handbook_page "
    "USING gin (ts_filter(search_vector, '{a,b}'::\"char\"[]))",
]
BACKWARD = ["DROP INDEX IF EXISTS handbook_page_search_head_gin"]


class Migration(migrations.Migration):
    dependencies = [("handbook", "0009_team_version_history")]

    operations = [migrations.RunPython(postgres_only(FORWARD), postgres_only(BACKWARD))]
