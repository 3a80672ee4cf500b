"""Helpers for migrations that hold database-specific SQL."""

from collections.abc import Callable, Sequence


def postgres_only(statements: Sequence[str]) -> Callable:
    """A RunPython function executing `statements` on PostgreSQL and nothing elsewhere (the
    embedded SQLite mode has no such features and needs none)."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run
