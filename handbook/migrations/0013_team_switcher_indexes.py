"""The quick switcher's words as a function the planner knows is costly, and indexes for its
teams, now looked up in steps as pages and people are (handbook.selectors.switcher.name_matches
with large=True).

- `bosun_switch_words(text)`: a text's words, lower-case, each after one space (what
  SwitchWords computes). As an inline expression its regexp_replace is costed as cheap as an
  addition, so on a table of a few hundred rows (the teams) the planner computed it for every
  row, once per pattern, rather than read the trigram index: a few milliseconds a keystroke.
  Declared with COST 1000 (and a SET clause, so that it is not inlined, which would drop the
  cost), the index is read instead. The trigram GIN indexes of pages (migration 0011) and
  people (accounts migration 0005) are rebuilt on it, under the same names.
- Teams: a btree on `upper(name) COLLATE "C"` and one on `upper(slug) COLLATE "C"` for the
  names starting with the query, read in order, and a trigram GIN on the function of the name
  and slug for the word starts and typos.

PostgreSQL only."""

from django.db import migrations

from core.migration_helpers import postgres_only

OLD = "(' ' || lower(regexp_replace({}, '[^[:alnum:]_]+', ' ', 'g')))"
NEW = "bosun_switch_words({})"
USER_NAMES = "username || ' ' || display_name || ' ' || first_name || ' ' || last_name"
# (index, table, text): the GIN indexes on a text's words.
WORDS_INDEXES = [
    ("handbook_page_title_words_trgm", "handbook_page", "title"),
    ("accounts_user_name_words_trgm", "accounts_user", USER_NAMES),
]
TEAM_WORDS = ("handbook_team_name_words_trgm", "handbook_team", "name || ' ' || slug")


def _words_index(index: str, table: str, text: str, form: str) -> str:
    return f"CREATE INDEX {index} ON {table} USING gin ({form.format(text)} gin_trgm_ops)"


def _rebuilt(form: str) -> list[str]:
    """The pages' and people's word indexes again, on `form` of their text."""
    statements = []
    for index, table, text in WORDS_INDEXES:
        statements += [f"DROP INDEX IF EXISTS {index}", _words_index(index, table, text, form)]
    return statements


FORWARD = [
    """CREATE OR REPLACE FUNCTION bosun_switch_words(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 SET search_path = pg_catalog
    AS $$ SELECT ' ' || lower(regexp_replace($1, '[^[:alnum:]_]+', ' ', 'g')) $$""",
    *_rebuilt(NEW),
    'CREATE INDEX IF NOT EXISTS handbook_team_name_upper ON handbook_team ((upper(name) COLLATE "C"))',
    'CREATE INDEX IF NOT EXISTS handbook_team_slug_upper ON handbook_team ((upper(slug) COLLATE "C"))',
    f"DROP INDEX IF EXISTS {TEAM_WORDS[0]}",
    _words_index(*TEAM_WORDS, NEW),
]
BACKWARD = [
    f"DROP INDEX IF EXISTS {TEAM_WORDS[0]}",
    "DROP INDEX IF EXISTS handbook_team_slug_upper",
    "DROP INDEX IF EXISTS handbook_team_name_upper",
    *_rebuilt(OLD),
    "DROP FUNCTION IF EXISTS bosun_switch_words(text)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_user_switcher_indexes"),
        ("handbook", "0012_switcher_search_words"),
    ]

    operations = [migrations.RunPython(postgres_only(FORWARD), postgres_only(BACKWARD))]
