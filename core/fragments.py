"""Parts of a page that are the same for everyone who gets them, rendered once and kept.

A page body that depends only on data (under its data versions), the time (in buckets) and a
few rights can be kept in each process's memory and served to the next reader as it is, but
for one thing: the CSRF token in its forms is the reader's own. The body is rendered with a
placeholder for the token (a string no rendering produces: it holds NUL characters) and the
reader's token is put in its place on every request, which costs a string replace.

The body is rendered without the request: no context processor runs, so a template that
reached for `request`, `user` or `messages` there would find nothing, rather than keep one
reader's view for another.
"""

from collections.abc import Callable

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .cache import layered_get_or_set

CSRF_HOLE = "\x00csrf\x00"


def shared_fragment(
    request, template_name: str, context: Callable[[], dict], *, key: str, timeout: int
) -> SafeString:
    """`template_name` rendered with `context()`, kept under `key` for `timeout` seconds (an
    empty key: rendered for this request only), with the request's CSRF token filled in."""

    def render():
        return render_to_string(template_name, {**context(), "csrf_token": CSRF_HOLE})

    html = layered_get_or_set(key, render, timeout=timeout) if key else render()
    if CSRF_HOLE in html:
        html = html.replace(CSRF_HOLE, get_token(request))
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there
