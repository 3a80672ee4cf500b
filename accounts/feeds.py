"""iCalendar feeds that calendar apps can subscribe to.

A calendar app (Google Calendar, Outlook, Thunderbird) polls a URL and cannot log in, so every
`.ics` view takes the person's calendar token from `?token=` instead of a session. Views are
wrapped in `@calendar_feed`; apps list the feeds a person may subscribe to with
`feeds_register()` in their AppConfig.ready(), so the "My account" page shows them all without
accounts importing those apps.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.views.decorators.http import require_safe

from . import selectors, services

CONTENT_TYPE = "text/calendar; charset=utf-8"
TOKEN_PARAMETER = "token"  # noqa: S105 - the name of the query parameter


def calendar_feed(view):
    """Serve `view`'s iCalendar body to a session or to a calendar token.

    With `?token=`: the request acts as the token's person, without a session; a token that
    is unknown, revoked or replaced, or whose person was deactivated, is a 404 (a calendar app
    cannot follow a login redirect, and the answer says nothing about which tokens exist).
    Without it: a login, as for any page. The view still decides what the person may read.
    A 200 answer gets the calendar content type and an ETag from its body, and a matching
    `If-None-Match` gets a 304."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if TOKEN_PARAMETER in request.GET:
            token = selectors.calendar_token_find(raw=request.GET[TOKEN_PARAMETER])
            if token is None:
                raise Http404("No such calendar.")
            services.calendar_token_mark_used(token=token)
            request.user = token.user
        elif not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        response["Content-Type"] = CONTENT_TYPE
        # Feeds differ per person and a revoked token must stop working at once: no shared
        # cache keeps a copy, and any copy is checked again (cheap, with the ETag).
        patch_cache_control(response, private=True, no_cache=True)
        set_response_etag(response)
        return get_conditional_response(request, etag=response.get("ETag"), response=response)

    return login_not_required(require_safe(wrapper))


@dataclass(frozen=True)
class Feed:
    title: str
    path: str  # the feed's URL on this site, without the token


FeedLister = Callable[..., Iterable[Feed]]  # called as lister(user=person)
_listers: dict[str, FeedLister] = {}


def feeds_register(lister: FeedLister) -> FeedLister:
    """Add the feeds an app offers a person; call from AppConfig.ready()."""
    _listers[f"{lister.__module__}.{lister.__qualname__}"] = lister
    return lister


def feeds_for(*, user) -> list[Feed]:
    """Every feed `user` may subscribe to, app by app in registration order."""
    return [feed for lister in _listers.values() for feed in lister(user=user)]
