"""Live blocks in handbook markdown: `{{generator:NAME}}` or `{{generator:NAME.ARG}}`.

Each app registers its generators in its AppConfig.ready(), so the handbook never imports the
other apps. A generator takes the argument (or None) and returns markdown. Each generator
names the models whose changes make its output stale, so a cached page that embeds it is
re-rendered when that data changes.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from core.versions import watch

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


def block(name: str, arg: str) -> str | None:
    """The markdown of one live block, as a page embedding it would show; None when no app
    registered it (so a page can show another app's block only once that app is there)."""
    if name not in _registry:
        return None
    return expand(f"{{{{generator:{name}.{arg}}}}}")[0]
