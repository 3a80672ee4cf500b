"""Who may change what in the handbook: every rule once, used by pages, HTMX partials, the API
and the admin alike (through the services, which check them whenever a person acts).

"Admin" here means a person holding the model's change permission (directly or through a
group) or a superuser; "member" means any role in a team, "manager" a lead, EM or PM.
"""

from django.db.models import Exists, Q

from core.cache import LOCAL_TIMEOUT, layered_get_or_set
from core.exceptions import NotAllowed
from core.versions import RIGHTS_DEPENDENCY

from .models import Membership, Page, PageRedirect, Team
from .pages import MEMBERS_DEPENDENCY, view_versions

# Teams


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def team_can_edit(*, user, team: Team) -> bool:
    """Change a team's charter, members, contacts and meetings: admins and its managers."""
    if not _active(user):
        return False
    if user.has_perm("handbook.change_team"):
        return True
    return Membership.objects.filter(
        team=team, user=user, role__in=Membership.MANAGING_ROLES
    ).exists()


TEAM_MANAGERS_ONLY = "Only the team's leads and managers, and admins, may do this."


def team_edit_check(*, user, team: Team) -> None:
    """The charter, members, contacts, workstreams and meetings of a team, by any way in."""
    if not team_can_edit(user=user, team=team):
        raise NotAllowed(TEAM_MANAGERS_ONLY)


def team_can_create(*, user) -> bool:
    return _active(user) and user.has_perm("handbook.add_team")


def team_can_delete(*, user) -> bool:
    return _active(user) and user.has_perm("handbook.delete_team")


def team_parent_check(*, user, team: Team | None, parent: Team | None) -> None:
    """Placing a team under a parent shows it on the parent's page, so the parent must agree:
    an admin or a manager of the parent. Leaving a parent (None) is the team's own call."""
    if parent is None or (team is not None and team.parent_id == parent.pk):
        return
    if user.has_perm("handbook.change_team"):
        return
    if not Membership.objects.filter(
        team=parent, user=user, role__in=Membership.MANAGING_ROLES
    ).exists():
        raise NotAllowed(
            f"Only an admin or a lead of {parent.name} may place a team under it.",
            field="parent",
        )


# Pages


def page_can_edit(
    *,
    user,
    page: Page | None = None,
    team: Team | None = None,
    known: dict[str, int] | None = None,
) -> bool:
    """Admins, and members of the page's owning team (for a new page: of the chosen team).

    Every page view asks, so the answer is kept in the caches under the versions of
    memberships and permissions, for a few minutes at most (a change that slipped past the
    versions cannot outlast that); `known`: those versions (pages.view_versions()), when
    read already. Whether the person is active or a superuser comes from their row, which
    each request reads anyway."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    owner = page.team_id if page is not None else (team.pk if team else None)
    current = known or view_versions()
    key = (
        f"handbook:can-edit:{user.pk}:{owner}:"
        f"{current[MEMBERS_DEPENDENCY]}:{current[RIGHTS_DEPENDENCY]}"
    )
    return layered_get_or_set(
        key, lambda: _page_rights_read(user=user, owner=owner), timeout=LOCAL_TIMEOUT
    )


def _page_rights_read(*, user, owner: int | None) -> bool:
    """One query for both ways in: the change permission, held directly or through a group
    (as ModelBackend, our only permission backend, grants it), or membership of the owning
    team."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    granted = Permission.objects.filter(
        content_type__app_label="handbook", codename="change_page"
    ).filter(Q(user=user) | Q(group__user=user))
    allowed = Exists(granted)
    if owner is not None:
        allowed |= Exists(Membership.objects.filter(team_id=owner, user=user))
    return get_user_model().objects.filter(pk=user.pk).filter(allowed).exists()


def page_can_create_any(*, user) -> bool:
    """Whether to offer "New page" (and its preview) at all: admins and members of a team."""
    return _active(user) and (user.has_perm("handbook.change_page") or user.memberships.exists())


def page_edit_check(*, user, page: Page) -> None:
    if not page_can_edit(user=user, page=page):
        owners = f"the {page.team.name} team" if page.team_id else "the owning team"
        raise NotAllowed(f"Only members of {owners} and admins may change this page.")


def address_claim(*, path: str) -> tuple[Page, str] | None:
    """Who an address belongs to besides a page standing on it: the page it redirects to
    (it moved from there), or else the nearest index page of the folders above it, like a
    CODEOWNERS folder. Returns (that page, why in words), or None for a free address."""
    redirect = PageRedirect.objects.select_related("page__team").filter(old_path=path).first()
    if redirect is not None:
        return redirect.page, f"it redirects to {redirect.page.path}"
    folders = path.split("/")[:-1]
    candidates = ["/".join(folders[:depth]) + "/index" for depth in range(len(folders), 0, -1)]
    candidates = [candidate for candidate in candidates if candidate != path]
    if not candidates:
        return None
    indexes = {
        index.path: index
        for index in Page.objects.select_related("team").filter(
            path__in=candidates, team__isnull=False
        )
    }
    for candidate in candidates:
        if candidate in indexes:
            folder = candidate.removesuffix("/index")
            return indexes[candidate], f"it lies in the folder {folder}/"
    return None


def address_check(*, user, path: str, field: str = "path") -> None:
    """Writing a page at `path` (creating it, or moving a page there) needs the consent of
    whoever the address belongs to (see address_claim): a member of that team, or an admin."""
    claim = address_claim(path=path)
    if claim is None:
        return
    owner_page, why = claim
    if page_can_edit(user=user, page=owner_page):
        return
    owner = owner_page.team.name if owner_page.team else "the admins"
    raise NotAllowed(
        f"The address {path} belongs to {owner} ({why}); only they or an admin may use it.",
        field=field,
    )


def page_create_check(*, user, path: str, team: Team | None) -> None:
    if not page_can_edit(user=user, team=team):
        raise NotAllowed("You may create pages only for teams you belong to.", field="team")
    address_check(user=user, path=path)


def page_team_check(*, user, page: Page, team: Team | None) -> None:
    """Handing a page to another team: an admin, or a member of both teams."""
    if team == page.team:
        return
    if user.has_perm("handbook.change_page") or (
        team is not None
        and page.team is not None
        and Membership.objects.filter(user=user, team__in=[team, page.team])
        .values("team")
        .distinct()
        .count()
        == 2
    ):
        return
    to = team.name if team else "no team"
    raise NotAllowed(
        f"Only an admin, or a member of both teams, may hand this page to {to}.", field="team"
    )


def page_can_read(*, user, team: Team | None) -> bool:
    """Read a team's pages (and the images uploaded for them): every active person who is
    logged in. The handbook has no private pages; were some added, this is where a team's
    privacy would be checked, and the image view follows it."""
    return _active(user)


def page_draft_check(*, user, page: Page | None) -> None:
    """Drafts are kept only of what the person may write: a page they may edit, or a new
    page if they may create pages at all."""
    if page is not None:
        page_edit_check(user=user, page=page)
    elif not page_can_create_any(user=user):
        raise NotAllowed("Only members of a team and admins may write new pages.")


def page_image_upload_check(*, user, page: Page | None, team: Team | None) -> None:
    """Images are uploaded for a page one may edit, or for a new page of a team one may
    create pages for."""
    if page is not None:
        page_edit_check(user=user, page=page)
    elif not page_can_edit(user=user, team=team):
        raise NotAllowed(
            "Choose the page's team first: you may add images only to pages of your teams.",
            field="team",
        )


def page_move_check(*, user, page: Page, new_path: str) -> None:
    page_edit_check(user=user, page=page)
    address_check(user=user, path=new_path, field="new_path")
