"""The handbook as a tree of folders: navigation and breadcrumbs, cached per page set."""

from handbook.models import Page

WHOLE_TREE = 1_000  # a depth no handbook reaches: nothing pruned


def page_navigation(
    *, current: str = "", depth: int = 1, known: dict[str, int] | None = None
) -> dict:
    """The navigation around a page: `tree`, the handbook as folders, pruned to the first
    `depth` levels (WHOLE_TREE: all of them) plus the folders along `current`'s path;
    `breadcrumbs`, its ancestor folders (linked to their index pages); and `key`, naming this
    exact tree for caches.

    The page list is read once per change of the page set (titles included) and the result
    kept in the caches, so a page view costs no query and no round trip here once warm, however
    large the handbook. `known`: versions from pages.view_versions(), when read already.
    """
    from core.cache import layered_get_or_set
    from core.versions import versions
    from handbook.pages import PAGES_DEPENDENCY

    tree_version = (known or versions([PAGES_DEPENDENCY]))[PAGES_DEPENDENCY]
    folder = current.rpartition("/")[0]

    def build() -> dict:
        full = _tree_full()
        return {
            "tree": _tree_pruned(full, current=current, depth=depth),
            "breadcrumbs": _breadcrumbs(full, current=current),
            "key": f"{tree_version}:{depth}:{folder}",
        }

    return layered_get_or_set(
        f"handbook:nav:{tree_version}:{depth}:{current}", build, timeout=24 * 3600
    )


def _breadcrumbs(full: dict, *, current: str) -> list[dict]:
    crumbs = []
    node = full
    parts = current.split("/")[:-1]
    for i, part in enumerate(parts):
        node = node["children"].get(part, {"children": {}, "page": None})
        index = node["page"]
        if index is not None and index["path"] == current:
            break
        crumbs.append(
            {
                "title": index["title"] if index else part,
                "path": index["path"] if index else None,
                "folder": "/".join(parts[: i + 1]),
            }
        )
    return crumbs


def _tree_full() -> dict:
    root: dict = {"children": {}, "page": None}
    for path, title in Page.objects.order_by("path").values_list("path", "title"):
        node = root
        parts = path.split("/")
        for part in parts[:-1]:
            node = node["children"].setdefault(part, {"children": {}, "page": None})
        if parts[-1] == "index":
            node["page"] = {"path": path, "title": title}
        else:
            child = node["children"].setdefault(parts[-1], {"children": {}, "page": None})
            child["page"] = {"path": path, "title": title}
    return root


def _tree_pruned(node: dict, *, current: str, depth: int, prefix: str = "") -> list[dict]:
    items = []
    for name, child in sorted(node["children"].items()):
        folder = f"{prefix}{name}"
        on_path = current.startswith(f"{folder}/")
        expand = on_path or depth > 1
        items.append(
            {
                "name": name,
                "page": child["page"],
                "children": _tree_pruned(
                    child, current=current, depth=depth - 1, prefix=f"{folder}/"
                )
                if expand
                else [],
                "collapsed": bool(child["children"]) and not expand,
            }
        )
    return items
