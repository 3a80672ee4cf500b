"""The person's own account page (their calendar token and the feeds it opens), and the
answer to a locked-out login."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .feeds import TOKEN_PARAMETER, feeds_for


def _account_page(request, *, issued: services.IssuedCalendarToken | None = None):
    feeds = [
        {
            "title": feed.title,
            "url": request.build_absolute_uri(feed.path),
            # Only right after issuing do we know the key: it is stored hashed.
            "subscribe_url": (
                request.build_absolute_uri(
                    f"{feed.path}?{urlencode({TOKEN_PARAMETER: issued.token})}"
                )
                if issued
                else None
            ),
        }
        for feed in feeds_for(user=request.user)
    ]
    context = {
        "calendar_token": selectors.calendar_token_get(user=request.user),
        "issued": issued,
        "feeds": feeds,
    }
    return render(request, "accounts/account.html", context)


@require_GET
def account(request):
    return _account_page(request)


@require_POST
def calendar_token_rotate(request):
    """Issue a new token and show it once; the page is answered directly (not redirected to)
    so the key never has to be kept anywhere, and no cache may keep the answer."""
    issued = services.calendar_token_create_or_rotate(user=request.user)
    response = _account_page(request, issued=issued)
    add_never_cache_headers(response)
    return response


@require_POST
def calendar_token_revoke(request):
    if services.calendar_token_revoke(user=request.user):
        messages.success(request, "Your calendar token is revoked: its feed URLs stopped working.")
    else:
        messages.info(request, "You had no calendar token.")
    return redirect("accounts:account")


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once a username or address has failed too often: the login form
    again, with the reason and how long to wait, as 429 (even for the right password).
    The form is not bound: validating it would try to log in once more."""
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    context = {
        "form": form,
        "next": request.POST.get("next", ""),
        "locked_out": (
            f"Too many failed logins for this account or from this address: logging in is "
            f"locked for {minutes} minutes, even with the right password. Try again later, "
            f"or ask an admin to unlock it."
        ),
    }
    return render(request, "registration/login.html", context, status=429)
