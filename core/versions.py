"""Data versions: one counter per kind of data, kept in the shared cache.

Anything cached from data (a rendered page, a page row, someone's rights) is stored under the
versions of what it was made from, so a change that bumps a version makes every such copy
unreachable at once, in every process. Apps watch the models they cache with `watch()`.
"""

import time
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

# Data versions: a counter per model in the cache, bumped on every save or delete of that
# model, so anything rendered from it can tell whether it is still current. A counter that is
# missing (a flushed or evicted cache) starts again from the clock, never from zero: copies
# that processes keep under an old version can then never match a new one by accident.


def version_key(label: str) -> str:
    return f"data-version:{label}"


def _fresh_version() -> int:
    return time.time_ns()


# Within a request (versions_scope(), opened by core.middleware.VersionsMiddleware) every
# version read is kept: the first read fetches all the watched labels in one round trip, the
# request's later reads ask nothing, and its own changes update what it holds. A request sees
# the data versions as they were when it began, as it sees the database.
_scope: ContextVar[dict | None] = ContextVar("data_versions_scope", default=None)
_watched: set[str] = set()


@contextmanager
def versions_scope():
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def bump_version(label: str) -> None:
    from django.core.cache import cache

    held = _scope.get()
    if held is not None:
        held.pop(label, None)  # read again, after this bump, when next asked
    key = version_key(label)
    cache.add(key, _fresh_version(), timeout=None)
    try:
        cache.incr(key)  # atomic on Redis
    except ValueError:  # the key was evicted between add() and incr()
        cache.set(key, _fresh_version(), timeout=None)


def data_changed(label: str) -> None:
    """`label`'s data changed: bump its version now, and again once the change is committed.
    A reader that saw the first bump but still read the old, uncommitted-over data may cache
    it under that version; the second bump makes sure such a copy never passes for current."""
    from django.db import transaction

    from core.cache import invalidates_on_commit

    @invalidates_on_commit
    def bump_again():
        bump_version(label)

    bump_version(label)
    # robust: the change is committed by now; a cache outage must not turn it into an error
    # (copies made meanwhile then expire with core.cache.LOCAL_TIMEOUT at the latest).
    transaction.on_commit(bump_again, robust=True)


def versions(labels: Iterable[str]) -> dict[str, int]:
    """The current version of each label, in one round trip to the cache (none at all for a
    request that has read them already)."""
    labels = list(labels)
    held = _scope.get()
    if held is None:
        return _versions_read(labels)
    missing = [label for label in labels if label not in held]
    if missing:
        held.update(_versions_read({*missing, *(_watched - held.keys())}))
    return {label: held[label] for label in labels}


def _versions_read(labels: Iterable[str]) -> dict[str, int]:
    from django.core.cache import cache

    keys = {label: version_key(label) for label in labels}
    values = cache.get_many(list(keys.values()))
    missing = [key for key in keys.values() if key not in values]
    if missing:
        for key in missing:
            cache.add(key, _fresh_version(), timeout=None)
        values.update(cache.get_many(missing))
    # A key evicted again in between gets a version that nothing can match: a recomputation.
    return {label: values.get(key) or _fresh_version() for label, key in keys.items()}


def _on_change(sender, **kwargs):
    data_changed(sender._meta.label)


def watch(label: str) -> None:
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    model = apps.get_model(label)
    _watched.add(label)
    post_save.connect(_on_change, sender=model, dispatch_uid=f"data-version-{label}")
    post_delete.connect(_on_change, sender=model, dispatch_uid=f"data-version-{label}")
    # A model that links two others (a membership) is also written by their m2m managers
    # (`team.people.add(...)`), which send m2m_changed instead of post_save.
    m2m_changed.connect(_on_m2m_change, sender=model, dispatch_uid=f"data-version-m2m-{label}")


def _on_m2m_change(sender, action, **kwargs):
    if action.startswith("post_"):
        data_changed(sender._meta.label)


# Who may do what: the permissions people hold, directly or through groups. Changes arrive as
# m2m signals on the link tables, or as a group or permission deleted with its links.
RIGHTS_DEPENDENCY = "auth.rights"


def _on_rights_change(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        data_changed(RIGHTS_DEPENDENCY)


def watch_rights() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete

    _watched.add(RIGHTS_DEPENDENCY)
    user_model = get_user_model()
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(_on_rights_change, sender=through, dispatch_uid=f"rights-{through}")
    for model in (Group, Permission):
        post_delete.connect(_on_rights_change, sender=model, dispatch_uid=f"rights-{model}")
