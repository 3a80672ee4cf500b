"""Search indexes that only PostgreSQL has: a GIN index on the page's full-text vector and a
trigram index on its title (typo-tolerant title matching). SQLite falls back to LIKE."""

from django.db import migrations

from core.migration_helpers import postgres_only

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS handbook_page_search_gin ON handbook_page USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS handbook_page_title_trgm ON handbook_page USING gin (title gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS handbook_page_title_trgm",
    "DROP INDEX IF EXISTS handbook_page_search_gin",
]


class Migration(migrations.Migration):
    dependencies = [("handbook", "0002_pages_charter_meetings")]

    operations = [migrations.RunPython(postgres_only(FORWARD), postgres_only(BACKWARD))]
