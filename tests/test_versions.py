"""Data versions read once per request (core.middleware.VersionsMiddleware opens the scope):
what a request holds, and what it sees of changes."""

import pytest
from django.core.cache import cache

from core.versions import bump_version, version_key, versions, versions_scope

pytestmark = pytest.mark.django_db

LABEL = "handbook.Team"  # watched by the handbook app


def test_a_request_reads_the_versions_once_and_sees_its_own_changes():
    with versions_scope():
        first = versions([LABEL])[LABEL]
        cache.set(version_key(LABEL), first + 100, timeout=None)  # another process's change
        # The request goes on with the versions it began with...
        assert versions([LABEL]) == {LABEL: first}
        # ...and every watched label came with that first read.
        assert "handbook.Membership" in versions(["handbook.Membership"])
        bump_version(LABEL)  # a change of its own: seen at once
        assert versions([LABEL]) == {LABEL: first + 101}
    # Outside a request every read asks the cache.
    cache.set(version_key(LABEL), first + 500, timeout=None)
    assert versions([LABEL]) == {LABEL: first + 500}
