"""Changing pages: edit with live preview (and conflicts shown, never lost), move (and
rewrite links), mark reviewed.

The rules themselves live in handbook.permissions and are checked by the services; a view
asks them only to refuse early (403) or to decide what to offer.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import NotAllowed
from handbook import permissions, selectors, services
from handbook.forms import PageForm, PageMoveForm, ReviewForm
from handbook.models import IMAGE_TYPES, Page
from handbook.pages import render as render_page
from handbook.services.pages import PageConflict

from .pages import page_or_404


def _editable_page(request, path: str) -> Page:
    page = page_or_404(path)
    permissions.page_edit_check(user=request.user, page=page)
    return page


def _form_errors(form, exc: ValidationError | NotAllowed) -> None:
    """A refusal or bad value from a service, shown on the form next to its field."""
    if isinstance(exc, NotAllowed):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _save(request, form, page: Page | None):
    """Save the form; returns the saved page, or None with the form (or conflict) to show."""
    data = form.cleaned_data
    mine = {
        "title": data["title"],
        "markdown": data["markdown"].replace("\r\n", "\n"),
        "team": data["team"],
        "review_by": data["review_by"],
    }
    path = page.path if page else data["path"]
    base_version = data["base_version"] if data["base_version"] is not None else 0
    try:
        try:
            saved, changed = services.page_save(
                path=path,
                **mine,
                user=request.user,
                base_version=base_version,
                change_reason=data["change_summary"],
            )
        except PageConflict as conflict:
            if conflict.current is None:
                form.add_error(None, "This page was deleted while you were editing it.")
                return None, None
            proposal = selectors.page_merge_proposal(
                current=conflict.current, base_version=base_version, mine=mine
            )
            if proposal.text_changed:
                return None, {"proposal": proposal, "mine": mine, "current": conflict.current}
            # Only its details moved on (a review, say): save the text over them.
            saved, changed = services.page_save(
                path=path,
                **proposal.values,
                user=request.user,
                base_version=conflict.current.version,
                change_reason=data["change_summary"],
            )
    except (NotAllowed, ValidationError) as exc:
        _form_errors(form, exc)
        return None, None
    except PageConflict:
        form.add_error(None, "The page changed again while saving; save once more.")
        return None, None
    # What the editor autosaved is in the page now (or was the same as it).
    services.page_draft_discard(user=request.user, page=page)
    messages.success(request, "Page saved." if changed else "No changes to save.")
    return saved, None


@require_http_methods(["GET", "POST"])
def page_edit(request, path=None):
    page = _editable_page(request, path) if path else None
    conflict = draft = None
    if request.method == "POST":
        form = PageForm(request.POST, page=page)
        if form.is_valid():
            saved, conflict = _save(request, form, page)
            if saved is not None:
                return redirect(saved)
            if conflict is not None:
                # The form now starts from the saved version, holding the merged text; the
                # person's own text is shown beside it, untouched.
                current = conflict["current"]
                form = PageForm(
                    initial={
                        **conflict["proposal"].values,
                        "path": current.path,
                        "base_version": current.version,
                        "change_summary": form.cleaned_data["change_summary"],
                    },
                    page=current,
                )
    else:
        initial = {"path": request.GET.get("path", ""), "base_version": 0}
        if page is not None:
            initial = {
                "path": page.path,
                "title": page.title,
                "team": page.team,
                "review_by": page.review_by,
                "markdown": page.markdown,
                "base_version": page.version,
            }
        draft = selectors.page_draft_get(user=request.user, page=page)
        if draft is not None:
            initial.update(draft_initial(draft))
        form = PageForm(initial=initial, page=page)
    context = {
        "form": form,
        "page": page,
        "conflict": conflict,
        "image_types": ",".join(IMAGE_TYPES),
    }
    if request.method == "GET":
        context["draft"] = draft
        context["draft_outdated"] = bool(draft and page and draft.base_version != page.version)
    return render(request, "handbook/page_edit.html", context, status=409 if conflict else 200)


def draft_initial(draft) -> dict:
    """The editor's fields as the draft left them (a new page's address and team too)."""
    values = {
        "title": draft.title,
        "markdown": draft.markdown,
        "change_summary": draft.change_summary,
        "base_version": draft.base_version,
    }
    if draft.page_id is None:
        values.update(path=draft.path, team=draft.team)
    return values


@require_POST
def page_preview(request):
    """The live preview (htmx): renders the posted markdown, saves nothing."""
    path = request.POST.get("path") or "preview"
    page = Page.objects.filter(path=path).first()
    allowed = (
        permissions.page_can_edit(user=request.user, page=page)
        if page is not None
        else permissions.page_can_create_any(user=request.user)
    )
    if not allowed:
        raise PermissionDenied("Only people who may edit pages can preview them.")
    rendered = render_page(markdown=request.POST.get("markdown", ""), path=path)
    broken = selectors.link_suggestions(
        page_path=path, links=rendered.links, anchors=rendered.anchors
    )
    return render(
        request, "handbook/page_edit.html#preview", {"rendered": rendered, "broken": broken}
    )


def _linking_split(request, *, old_path: str):
    """Pages still linking to an old address: those this person may rewrite, and the rest."""
    mine, others = [], []
    for source in selectors.pages_linking_to(path=old_path).select_related("team"):
        editable = permissions.page_can_edit(user=request.user, page=source)
        (mine if editable else others).append(source)
    return mine, others


@require_http_methods(["GET", "POST"])
def page_move(request, path):
    page = _editable_page(request, path)
    if request.method == "POST" and "rewrite_from" in request.POST:
        old_path = request.POST["rewrite_from"]
        try:
            result = services.page_links_rewrite(page=page, old_path=old_path, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(page)
        messages.success(request, f"Rewrote links on {len(result.rewritten)} page(s).")
        if not result.left:
            return redirect(page)
        return render(
            request,
            "handbook/page_move.html",
            {"page": page, "old_path": old_path, "left": result.left, "rewritten": True},
        )
    form = PageMoveForm(request.POST or None, initial={"new_path": page.path})
    if request.method == "POST" and form.is_valid():
        old_path = page.path
        try:
            page = services.page_move(
                page=page, new_path=form.cleaned_data["new_path"], user=request.user
            )
        except (NotAllowed, ValidationError) as exc:
            _form_errors(form, exc)
        else:
            mine, others = _linking_split(request, old_path=old_path)
            if not mine and not others:
                messages.success(request, f"Moved. The old address {old_path} redirects here.")
                return redirect(page)
            context = {"page": page, "old_path": old_path, "linking": mine, "left": others}
            return render(request, "handbook/page_move.html", {**context, "moved": True})
    return render(request, "handbook/page_move.html", {"page": page, "form": form})


@require_POST
def page_review(request, path):
    page = _editable_page(request, path)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the date of the next review.")
    elif form.cleaned_data["review_by"] <= timezone.localdate():
        messages.error(request, "The next review must be in the future.")
    else:
        services.page_mark_reviewed(
            page=page, user=request.user, review_by=form.cleaned_data["review_by"]
        )
        messages.success(request, "Marked as reviewed.")
    return redirect(page)


@require_POST
def page_restore(request, path, revision_id):
    """Restore a past revision's words (from the diff page)."""
    page = _editable_page(request, path)
    revision = selectors.page_revision_get(page=page, revision_id=revision_id)
    if revision is None:
        raise Http404("No such revision.")
    try:
        base_version = int(request.POST.get("base_version", ""))
    except ValueError:
        base_version = None
    try:
        page, changed = services.page_restore(
            page=page, revision=revision, user=request.user, base_version=base_version
        )
    except PageConflict:
        messages.error(
            request,
            "The page changed since you opened this revision; nothing was restored. "
            "Look at the history again.",
        )
        return redirect("handbook:page_history", page.path)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(
        request, "Revision restored." if changed else "The page already reads like that revision."
    )
    return redirect(page)
