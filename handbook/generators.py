"""Live blocks in handbook markdown: `{{generator:NAME}}` or `{{generator:NAME.ARG}}`.

Each app registers its generators in its AppConfig.ready(), so the handbook never imports the
other apps. A generator takes the argument (or None) and returns markdown. Each generator
names the models whose changes make its output stale, so a cached page that embeds it is
re-rendered when that data changes.
"""

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

PATTERN = re.compile(r"\{\{\s*generator:([a-z][a-z0-9_]*)(?:\.([A-Za-z0-9_.-]+))?\s*\}\}")


class GeneratorArgumentError(Exception):
    """The argument names nothing the generator knows (e.g. an unknown team)."""


@dataclass(frozen=True)
class Generator:
    name: str
    render: Callable[[str | None], str]
    depends_on: tuple[str, ...] = field(default_factory=tuple)  # "app_label.Model" names
    description: str = ""


_registry: dict[str, Generator] = {}


def register(
    name: str, *, depends_on: Iterable[str] = (), description: str = ""
) -> Callable[[Callable[[str | None], str]], Callable[[str | None], str]]:
    """Register a generator; call from AppConfig.ready(), when models are loaded."""

    def decorator(func):
        _registry[name] = Generator(name, func, tuple(depends_on), description)
        for label in depends_on:
            watch(label)
        return func

    return decorator


# Data versions: a counter per model in the cache, bumped on every save or delete of that
# model, so anything rendered from it can tell whether it is still current. A counter that is
# missing (a flushed or evicted cache) starts again from the clock, never from zero: copies
# that processes keep under an old version can then never match a new one by accident.


def version_key(label: str) -> str:
    return f"handbook:version:{label}"


def _fresh_version() -> int:
    return time.time_ns()


def bump_version(label: str) -> None:
    from django.core.cache import cache

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

    from config.cache import invalidates_on_commit

    @invalidates_on_commit
    def bump_again():
        bump_version(label)

    bump_version(label)
    # robust: the change is committed by now; a cache outage must not turn it into an error
    # (copies made meanwhile then expire with config.cache.LOCAL_TIMEOUT at the latest).
    transaction.on_commit(bump_again, robust=True)


def versions(labels: Iterable[str]) -> dict[str, int]:
    """The current version of each label, in one round trip to the cache."""
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
    post_save.connect(_on_change, sender=model, dispatch_uid=f"handbook-version-{label}")
    post_delete.connect(_on_change, sender=model, dispatch_uid=f"handbook-version-{label}")
    # A model that links two others (a membership) is also written by their m2m managers
    # (`team.people.add(...)`), which send m2m_changed instead of post_save.
    m2m_changed.connect(_on_m2m_change, sender=model, dispatch_uid=f"handbook-m2m-{label}")


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

    user_model = get_user_model()
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(_on_rights_change, sender=through, dispatch_uid=f"rights-{through}")
    for model in (Group, Permission):
        post_delete.connect(_on_rights_change, sender=model, dispatch_uid=f"rights-{model}")


def watched_labels() -> set[str]:
    return {label for generator in _registry.values() for label in generator.depends_on}


def escape(text: str) -> str:
    """Text from data, made safe to drop into a markdown table cell or line."""
    text = " ".join(str(text).split())
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~])", r"\\\1", text)


def registered() -> dict[str, Generator]:
    return dict(_registry)


def warning(text: str) -> str:
    """A visible warning in place of a block that could not be generated."""
    return f"\n\n> [!WARNING]\n> {text}\n\n"


def expand(markdown: str) -> tuple[str, set[str]]:
    """Replace every generator block with its markdown. Returns (markdown, names used).

    An unknown generator or argument becomes a visible warning; it never raises.
    """
    used: set[str] = set()

    def replace(match: re.Match) -> str:
        name, arg = match.group(1), match.group(2)
        generator = _registry.get(name)
        if generator is None:
            return warning(f"Unknown live block `{name}`.")
        used.add(name)
        try:
            return "\n\n" + generator.render(arg).strip() + "\n\n"
        except GeneratorArgumentError as exc:
            return warning(f"Live block `{name}`: {exc}")

    return PATTERN.sub(replace, markdown), used
