"""Reading the handbook: the index and search, a page, its history and diffs, its source."""

from datetime import timedelta
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from core.fragments import shared_fragment
from handbook import permissions, selectors
from handbook.forms import PageSearchForm, ReviewForm
from handbook.models import Page
from handbook.pages import render_cached, view_versions
from handbook.selectors.navigation import WHOLE_TREE

SEARCH_RESULTS_SHOWN = 20
RECENT_PAGES_SHOWN = 8


def page_or_404(path: str) -> Page:
    page, _ = selectors.page_find(path=path)
    if page is None:
        raise Http404("No such page.")
    return page


@require_GET
@vary_on_headers("HX-Request")
def index(request):
    form = PageSearchForm(request.GET)
    valid = form.is_valid()
    query = form.cleaned_data["q"] if valid else ""
    context = {"query": query, "form": form}
    if query:
        team = form.cleaned_data["team"]
        results, correction = selectors.page_search_corrected(
            query=query,
            team=team,
            limit=SEARCH_RESULTS_SHOWN,
            exact=form.cleaned_data["verbatim"],
        )
        selectors.page_search_snippets(pages=results, query=correction.searched_for)
        context.update(results=results, correction=correction, team=team)
    template = "handbook/index.html"
    if request.htmx and (query or form.errors):
        template += "#search-results"
    else:
        context["navigation"] = selectors.page_navigation(depth=WHOLE_TREE)
        context["teams"] = list(form.fields["team"].queryset.values_list("slug", "name"))
        if not query:
            context["recent"] = selectors.pages_recently_updated(limit=RECENT_PAGES_SHOWN)
    response = render(request, template, context, status=400 if form.errors else 200)
    if request.htmx:
        # The address shown is the search as asked, without the filters left empty
        # (`?q=train`, not `?q=train&team=`).
        asked = {name: value for name, value in request.GET.items() if value}
        push_url(response, f"{request.path}?{urlencode(asked)}" if asked else request.path)
    return response


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
    today = timezone.localdate()
    can_edit = permissions.page_can_edit(user=request.user, page=page, known=known)

    def context():
        rendered = render_cached(page, known=known)
        broken_count = sum(1 for link in rendered.links if link.broken)
        return {
            "page": page,
            "rendered": rendered,
            "navigation": selectors.page_navigation(current=page.path, known=known),
            "can_edit": can_edit,
            "stale": page.review_by is not None and page.review_by < today,
            "stewards": selectors.page_stewards(page=page),
            "broken_count": broken_count,
            # Those who can fix them are told what each broken link probably meant.
            "broken": selectors.page_link_suggestions(page=page, links=rendered.links, known=known)
            if can_edit and broken_count
            else [],
            # The contents list of a long page takes longer to lay out than the rest of the
            # view; the template keeps it in this process's memory under what it lists.
            "toc_key": hash(tuple(rendered.toc)),
            "review_form": ReviewForm(initial={"review_by": today + timedelta(days=180)}),
        }

    # The body is the same for every reader with the same rights, until the page or anything
    # it shows changes: kept whole, it is served without rendering (core/fragments.py).
    key = selectors.page_body_key(page=page, known=known, can_edit=can_edit, today=today)
    body = shared_fragment(request, "handbook/page_body.html", context, key=key, timeout=3600)
    return render(request, "handbook/page.html", {"page": page, "body": body})


@require_GET
def page_history(request, path):
    page = page_or_404(path)
    revisions = list(selectors.page_revisions(page=page))
    return render(request, "handbook/page_history.html", {"page": page, "revisions": revisions})


@require_GET
def page_diff(request, path, revision_id):
    page = page_or_404(path)
    revision = selectors.page_revision_get(page=page, revision_id=revision_id)
    if revision is None:
        raise Http404("No such revision.")
    previous = revision.prev_record
    context = {
        "page": page,
        "revision": revision,
        "previous": previous,
        "diff": selectors.text_diff(
            before=previous.markdown if previous else "", after=revision.markdown
        ),
        "title_changed": previous is not None and previous.title != revision.title,
        "can_restore": permissions.page_can_edit(user=request.user, page=page)
        and (revision.markdown, revision.title) != (page.markdown, page.title),
    }
    return render(request, "handbook/page_diff.html", context)


@require_GET
def page_source(request, path):
    page = page_or_404(path)
    return HttpResponse(page.markdown, content_type="text/markdown; charset=utf-8")
