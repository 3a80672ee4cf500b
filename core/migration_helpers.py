"""Helpers for migrations that hold database-specific SQL."""

from collections.abc import Callable, Sequence

from django.db import migrations


def postgres_only(statements: Sequence[str]) -> Callable:
    """A RunPython function executing `statements` on PostgreSQL and nothing elsewhere (the
    embedded SQLite mode has no such features and needs none)."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class PostgresOnlyAddIndex(migrations.AddIndex):
    """An AddIndex applied on PostgreSQL only (a GIN or GiST index with an operator class,
    which SQLite cannot build). The migration state has the index everywhere, so models and
    migrations agree (`makemigrations --check` stays clean)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
