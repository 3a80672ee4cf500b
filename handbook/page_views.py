"""Handbook page views: read, edit with live preview, history and diffs, move, review, search."""

import difflib
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from . import selectors, services
from .forms import PageForm, PageMoveForm, PageSearchForm, ReviewForm
from .models import Page
from .pages import render as render_page
from .pages import render_cached, view_versions

SEARCH_RESULTS_SHOWN = 20


def _page_or_404(path: str) -> Page:
    page, _ = selectors.page_find(path=path)
    if page is None:
        raise Http404("No such page.")
    return page


def _editable_page(request, path: str) -> Page:
    page = _page_or_404(path)
    if not selectors.page_can_edit(user=request.user, page=page):
        raise PermissionDenied("Only members of the owning team and admins may change this page.")
    return page


@require_GET
@vary_on_headers("HX-Request")
def index(request):
    form = PageSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"navigation": selectors.page_navigation(depth=2), "query": query, "form": form}
    if query:
        results = selectors.page_search(query=query, limit=SEARCH_RESULTS_SHOWN)
        selectors.page_search_snippets(pages=results, query=query)
        context["results"] = results
    template = "handbook/index.html"
    if request.htmx and (query or form.errors):
        template += "#search-results"
    return render(request, template, context, status=400 if form.errors else 200)


@require_GET
def page_detail(request, path):
    # One round trip for every version the cached parts below are checked against.
    known = view_versions()
    page, moved_to = selectors.page_find_for_view(path=path, known=known)
    if moved_to is not None:
        return redirect("handbook:page", moved_to, permanent=True)
    if page is None:
        if not path.endswith("/index") and Page.objects.filter(path=f"{path}/index").exists():
            return redirect("handbook:page", f"{path}/index")
        return render(
            request,
            "handbook/page_missing.html",
            {
                "path": path,
                "can_create": request.user.has_perm("handbook.add_page")
                or request.user.memberships.exists(),
            },
            status=404,
        )
    rendered = render_cached(page, known=known)
    today = timezone.localdate()
    context = {
        "page": page,
        "rendered": rendered,
        "navigation": selectors.page_navigation(current=page.path, known=known),
        "can_edit": selectors.page_can_edit(user=request.user, page=page, known=known),
        "stale": page.review_by is not None and page.review_by < today,
        "broken_count": sum(1 for link in rendered.links if link.broken),
        # The contents list of a long page takes longer to lay out than the rest of the view;
        # the template keeps it in this process's memory under what it lists.
        "toc_key": hash(tuple(rendered.toc)),
        "review_form": ReviewForm(initial={"review_by": today + timedelta(days=180)}),
    }
    return render(request, "handbook/page.html", context)


@require_http_methods(["GET", "POST"])
def page_edit(request, path=None):
    page = _editable_page(request, path) if path else None
    if request.method == "POST":
        form = PageForm(request.POST, page=page)
        if form.is_valid():
            data = form.cleaned_data
            team = data["team"]
            if page is None and not selectors.page_can_edit(user=request.user, team=team):
                form.add_error("team", "You may create pages only for teams you belong to.")
            else:
                try:
                    saved, changed = services.page_save(
                        path=page.path if page else data["path"],
                        title=data["title"],
                        markdown=data["markdown"].replace("\r\n", "\n"),
                        team=team,
                        review_by=data["review_by"],
                        user=request.user,
                    )
                except ValidationError as exc:
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    messages.success(request, "Page saved." if changed else "No changes to save.")
                    return redirect(saved)
    else:
        initial = {"path": request.GET.get("path", "")}
        if page is not None:
            initial = {
                "path": page.path,
                "title": page.title,
                "team": page.team,
                "review_by": page.review_by,
                "markdown": page.markdown,
            }
        form = PageForm(initial=initial, page=page)
    return render(request, "handbook/page_edit.html", {"form": form, "page": page})


@require_POST
def page_preview(request):
    """The live preview (htmx): renders the posted markdown, saves nothing."""
    path = request.POST.get("path") or "preview"
    page = Page.objects.filter(path=path).first()
    allowed = (
        selectors.page_can_edit(user=request.user, page=page)
        if page is not None
        else request.user.has_perm("handbook.add_page") or request.user.memberships.exists()
    )
    if not allowed:
        raise PermissionDenied("Only people who may edit pages can preview them.")
    rendered = render_page(markdown=request.POST.get("markdown", ""), path=path)
    return render(request, "handbook/page_edit.html#preview", {"rendered": rendered})


@require_GET
def page_history(request, path):
    page = _page_or_404(path)
    revisions = list(page.history.select_related("history_user").order_by("-history_date"))
    return render(request, "handbook/page_history.html", {"page": page, "revisions": revisions})


@require_GET
def page_diff(request, path, revision_id):
    page = _page_or_404(path)
    revision = page.history.filter(history_id=revision_id).first()
    if revision is None:
        raise Http404("No such revision.")
    previous = revision.prev_record
    before = previous.markdown if previous else ""
    diff = difflib.HtmlDiff(wrapcolumn=80).make_table(
        before.splitlines(),
        revision.markdown.splitlines(),
        fromdesc=f"Before ({previous.history_date:%Y-%m-%d %H:%M})" if previous else "Before",
        todesc=f"This revision ({revision.history_date:%Y-%m-%d %H:%M})",
        context=True,
        numlines=3,
    )
    return render(
        request,
        "handbook/page_diff.html",
        {
            "page": page,
            "revision": revision,
            "previous": previous,
            "diff": diff,
            "title_changed": previous is not None and previous.title != revision.title,
        },
    )


@require_http_methods(["GET", "POST"])
def page_move(request, path):
    page = _editable_page(request, path)
    if request.method == "POST" and "rewrite_from" in request.POST:
        old_path = request.POST["rewrite_from"]
        rewritten = services.page_links_rewrite(page=page, old_path=old_path, user=request.user)
        messages.success(request, f"Rewrote links on {len(rewritten)} page(s).")
        return redirect(page)
    form = PageMoveForm(request.POST or None, initial={"new_path": page.path})
    if request.method == "POST" and form.is_valid():
        old_path = page.path
        services.page_move(page=page, new_path=form.cleaned_data["new_path"], user=request.user)
        linking = selectors.pages_linking_to(path=old_path)
        if not linking.exists():
            messages.success(request, f"Moved. The old address {old_path} redirects here.")
            return redirect(page)
        return render(
            request,
            "handbook/page_move.html",
            {"page": page, "old_path": old_path, "linking": linking, "moved": True},
        )
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


@require_GET
def page_source(request, path):
    page = _page_or_404(path)
    return HttpResponse(page.markdown, content_type="text/markdown; charset=utf-8")
