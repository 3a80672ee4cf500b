"""What a ticket's text mentions, read from the text alone (no database): ticket keys and
links to handbook pages.

- A ticket is mentioned by its key anywhere in the text: `DEL-42` (a board's prefix, a
  hyphen, its number). Only keys of existing tickets count; selectors resolve them.
- A handbook page is mentioned by a link to it: its address (`/handbook/ops/runbook`, or the
  full URL under SITE_URL, as pasted from the browser, also as a bare URL) or a link as the
  handbook writes them, relative to the handbook's root (`ops/runbook.md`).
"""

import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from handbook.rendering import markdown_links, resolve_href

# Board prefixes are 2 to 10 capitals or digits (Board.key_prefix); numbers start at 1.
TICKET_KEY = re.compile(r"\b([A-Z][A-Z0-9]{1,9})-([1-9][0-9]{0,9})\b")
MAX_NUMBER = 2**31 - 1  # a PositiveIntegerField: a larger number is no ticket (and no query)
# What a ticket's markdown renders as, for links: relative ones resolve from the handbook's
# root. Page paths never start with "-", so no page is ever taken for the ticket itself.
TEXT_PATH = "-ticket"


def key_parse(key: str) -> tuple[str, int] | None:
    """(prefix, number) of a ticket key written exactly as the app writes it, else None."""
    match = TICKET_KEY.fullmatch(key)
    if match is None or int(match[2]) > MAX_NUMBER:
        return None
    return match[1], int(match[2])


def ticket_keys(text: str) -> list[tuple[str, int]]:
    """The keys the text mentions, in order of first mention, each once."""
    found = {}
    for match in TICKET_KEY.finditer(text):
        number = int(match[2])
        if number <= MAX_NUMBER:
            found.setdefault((match[1], number), None)
    return list(found)


def _site_path(href: str) -> str | None:
    """The path of a URL on this site (root-absolute, or under SITE_URL), else None."""
    try:
        parts = urlsplit(href.strip())
        site = urlsplit(settings.SITE_URL)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            return None
    elif not parts.path.startswith("/") or href.strip().startswith("//"):
        return None
    return parts.path


def page_path_of(href: str) -> str | None:
    """The handbook page path a link points to (as written: not checked), else None."""
    resolved = resolve_href(href, page_path=TEXT_PATH)
    if resolved is not None:
        path = resolved[0]
        return None if path == TEXT_PATH or path.startswith("../") else path
    path = _site_path(href)
    if path is None:
        return None
    try:
        match = resolve(unquote(path))
    except Resolver404:
        return None
    if match.view_name != "handbook:page":
        return None
    return match.kwargs["path"].rstrip("/") or None


def page_paths(markdown: str) -> list[str]:
    """The handbook pages the markdown links to, in order of first link, each once."""
    found = {}
    for href in markdown_links(markdown):
        path = page_path_of(href)
        if path:
            found.setdefault(path, None)
    return list(found)
