import functools

from django.urls import NoReverseMatch, reverse

# The sections of the portal, in menu order, with the other addresses that belong to them. A
# section whose app has not landed yet has no URL and is left out of the menu until it arrives.
SECTIONS = (
    ("Teams", "handbook:teams", ()),
    ("People", "handbook:people", ()),
    ("Handbook", "handbook:index", ()),
    ("Rotas", "rotations:home", ()),
    ("Releases", "releases:home", ()),
    ("Board", "tickets:home", ("/tickets/", "/support/")),
    ("API docs", "api-docs", ()),
)


@functools.cache
def _url_or_none(name):
    # The URL patterns do not change while the process runs, so each name is reversed once.
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def sections(request):
    """The main menu, as `sections` (views keep `navigation` for their own page trees)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"sections": []}
    current = request.path
    items = []
    for label, name, also in SECTIONS:
        url = _url_or_none(name)
        if url is None:
            continue
        active = (
            current == url or (url != "/" and current.startswith(url)) or current.startswith(also)
        )
        items.append({"label": label, "url": url, "active": active})
    return {"sections": items}
