"""Indexes for finding people in the quick switcher (handbook.selectors.switcher.name_matches),
each on the very expression it matches by: a btree on `upper(field) COLLATE "C"` per name
field (names starting with the query, read in order, as many as are shown), and a trigram GIN
on the words of a person's names as one text (`' ' || lower(...)` of `username || ' ' ||
display_name || ...`: a word starting with the query, or a word like it). The latter replaces
migration 0004's trigram index on the names as they are written, which nothing matches by any
more. PostgreSQL only."""

from django.db import migrations

from core.migration_helpers import postgres_only

NAMES = "(username || ' ' || display_name || ' ' || first_name || ' ' || last_name)"
WORDS = f"(' ' || lower(regexp_replace({NAMES}, '[^[:alnum:]_]+', ' ', 'g')))"
FIELDS = ["username", "display_name", "first_name", "last_name"]
FORWARD = [
    *(
        f'CREATE INDEX IF NOT EXISTS accounts_user_{field}_upper ON accounts_user ((upper({field}) COLLATE "C"))'
        for field in FIELDS
    ),
    f"CREATE INDEX IF NOT EXISTS accounts_user_name_words_trgm ON accounts_user USING gin ({WORDS} gin_trgm_ops)",
    "DROP INDEX IF EXISTS accounts_user_names_trgm",
]
BACKWARD = [
    f"CREATE INDEX IF NOT EXISTS accounts_user_names_trgm ON accounts_user USING gin ({NAMES} gin_trgm_ops)",
    "DROP INDEX IF EXISTS accounts_user_name_words_trgm",
    *(f"DROP INDEX IF EXISTS accounts_user_{field}_upper" for field in FIELDS),
]


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_user_names_trigram_index")]

    operations = [migrations.RunPython(postgres_only(FORWARD), postgres_only(BACKWARD))]
