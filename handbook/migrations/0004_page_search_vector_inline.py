"""Keep each page's search vector in the table row instead of the TOAST table.

Ranking reads the vector of every matching page. A vector of a few KB compresses poorly, so
by default PostgreSQL moves it out of line and each ranked match costs several extra TOAST
index and heap reads. STORAGE MAIN keeps it in the row (the markdown and plain text still
move out first), which made ranking a common word about three times faster in bench/.
Existing rows are rewritten so that their vectors move back in."""

from django.db import migrations

from core.migration_helpers import postgres_only

FORWARD = [
    "ALTER TABLE handbook_page ALTER COLUMN search_vector SET STORAGE MAIN",
    # Concatenating an empty vector makes a new value, so the row is stored again.
    "UPDATE handbook_page SET search_vector = search_vector || ''::tsvector "
    "WHERE search_vector IS NOT NULL",
]
BACKWARD = ["ALTER TABLE handbook_page ALTER COLUMN search_vector SET STORAGE EXTENDED"]


class Migration(migrations.Migration):
    dependencies = [("handbook", "0003_page_search_indexes")]

    operations = [migrations.RunPython(postgres_only(FORWARD), postgres_only(BACKWARD))]
