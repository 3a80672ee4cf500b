"""A release's page: its milestones, checklist and slips, and ticking them (htmx, or a plain
form post)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import NotAllowed
from releases import permissions, selectors, services


def _context(request, version: str) -> dict:
    page = selectors.release_page_get(version=version)
    return {
        "page": page,
        "release": page.release,
        "can_tick": permissions.checklist_can_tick(user=request.user, release=page.release),
    }


@require_GET
def release_detail(request, version):
    return render(request, "releases/release.html", _context(request, version))


def _done(request) -> bool:
    return request.POST.get("done") == "1"


def _answer(request, version: str, part: str):
    """The ticked part for htmx, else back to the page at that part."""
    if request.htmx:
        return render(request, f"releases/release.html#{part}", _context(request, version))
    return redirect(reverse("releases:release", args=[version]) + f"#{part}")


@require_POST
def checklist_tick(request, version, pk):
    release = selectors.release_get(version=version)
    item = selectors.release_item_get(release=release, pk=pk)
    done = _done(request)
    try:
        services.checklist_item_set_done(item=item, done=done, user=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, f"“{item.title}” {'ticked' if done else 'unticked'}.")
    return _answer(request, version, "checklist")


@require_POST
def milestone_tick(request, version, pk):
    release = selectors.release_get(version=version)
    milestone = selectors.release_milestone_get(release=release, pk=pk)
    done = _done(request)
    try:
        services.milestone_set_done(milestone=milestone, done=done, user=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, f"{milestone.name} marked {'reached' if done else 'not reached'}.")
    return _answer(request, version, "milestones")
