"""The quick switcher's answers (Ctrl+K on every page; static/js/switcher.js)."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from handbook.selectors.switcher import switcher_search


@require_GET
def switch(request):
    """`?q=` -> `{"query", "groups": [{"kind", "label", "results": [{"kind", "label",
    "detail", "url"}]}]}`, the best few of each kind; login required, as every page."""
    query = request.GET.get("q", "")
    groups = switcher_search(query=query)
    response = JsonResponse(
        {
            "query": query,
            "groups": [
                {
                    "kind": kind.name,
                    "label": kind.label,
                    "results": [
                        {
                            "kind": match.kind,
                            "label": match.label,
                            "detail": match.detail,
                            "url": match.url,
                        }
                        for match in matches
                    ],
                }
                for kind, matches in groups
            ],
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response
