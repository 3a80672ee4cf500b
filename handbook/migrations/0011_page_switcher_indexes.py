"""Indexes for the quick switcher's pages (handbook.selectors.switcher.name_matches), each
on the very expression it matches the titles by:

- a btree on `upper(title) COLLATE "C"`: the titles starting with the query, read in order, as
  many as are shown (`LIKE 'ROTAT%' ORDER BY ... LIMIT 5`);
- a trigram GIN on the title's words (`' ' || lower(...)`, one space before each word): the
  titles with a word starting with the query (`LIKE '% rotat%'`, even for one letter) and
  those with a word like it (`%>`), without reading the wide page rows that do not match.

The GiST index on the title (migration 0005) stays for the search's title similarity.
PostgreSQL only."""

from django.db import migrations

from core.migration_helpers import postgres_only

WORDS = "(' ' || lower(regexp_replace(title, '[^[:alnum:]_]+', ' ', 'g')))"
FORWARD = [
    'CREATE INDEX IF NOT EXISTS handbook_page_title_upper ON handbook_page ((upper(title) COLLATE "C"))',
    f"CREATE INDEX IF NOT EXISTS handbook_page_title_words_trgm ON handbook_page USING gin ({WORDS} gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS handbook_page_title_words_trgm",
    "DROP INDEX IF EXISTS handbook_page_title_upper",
]


class Migration(migrations.Migration):
    dependencies = [("handbook", "0010_page_search_head_index")]

    operations = [migrations.RunPython(postgres_only(FORWARD), postgres_only(BACKWARD))]
