from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import ContactRoute, Membership, Page, PageLink, PageRedirect, Team
from .pages import page_rows_changed

User = get_user_model()
# The charter: what a team says about itself, shown on its page.
CHARTER_FIELDS = (
    "channel_url",
    "vision_1y",
    "vision_3y",
    "vision_10y",
    "principles",
    "ownership",
    "support_guidelines",
)
TEAM_FIELDS = ("slug", "name", "mission", "parent", *CHARTER_FIELDS)


def _contacts_replace(*, team: Team, contacts: list[dict]) -> None:
    team.contacts.all().delete()
    for position, row in enumerate(contacts):
        route = ContactRoute(team=team, position=position, **row)
        route.full_clean()
        route.save()


def _members_replace(*, team: Team, members: list[dict]) -> None:
    team.memberships.all().delete()
    for row in members:
        membership_set(team=team, user=row["user"], role=row["role"])


@transaction.atomic
def team_create(*, members: list[dict] | None = None, contacts=None, **fields) -> Team:
    team = Team(**{k: v for k, v in fields.items() if k in TEAM_FIELDS})
    team.full_clean()
    team.save()
    if members:
        _members_replace(team=team, members=members)
    if contacts:
        _contacts_replace(team=team, contacts=contacts)
    return team


@transaction.atomic
def team_update(*, team: Team, members=None, contacts=None, **changes) -> Team:
    for field, value in changes.items():
        if field not in TEAM_FIELDS:
            raise ValidationError({field: ["This field cannot be changed."]})
        setattr(team, field, value)
    team.full_clean()
    team.save()
    if members is not None:
        _members_replace(team=team, members=members)
    if contacts is not None:
        _contacts_replace(team=team, contacts=contacts)
    return team


@transaction.atomic
def team_delete(*, team: Team) -> None:
    team.delete()


@transaction.atomic
def membership_set(*, team: Team, user, role: str) -> tuple[Membership, bool]:
    """Add a person to a team, or change their role there. Returns (membership, created)."""
    if role not in Membership.Role.values:
        raise ValidationError(
            {"role": [f"“{role}” is not a role; use one of {Membership.Role.values}."]}
        )
    if not user.is_active:
        raise ValidationError({"username": ["This person is deactivated."]})
    membership, created = Membership.objects.select_for_update().get_or_create(
        team=team, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership, created


@transaction.atomic
def membership_remove(*, team: Team, user) -> None:
    deleted, _ = Membership.objects.filter(team=team, user=user).delete()
    if not deleted:
        raise Membership.DoesNotExist(f"{user} is not a member of {team}.")


# Pages


def _page_links_replace(*, page: Page, rendered) -> None:
    page.links.all().delete()
    PageLink.objects.bulk_create(
        PageLink(
            page=page,
            position=position,
            href=link.href[:1000],
            target_path=link.target,
            anchor=link.anchor[:300],
            broken=link.broken,
        )
        for position, link in enumerate(rendered.links)
    )


def _links_to_refresh(*, paths: set[str]) -> None:
    """Re-judge the links of other pages that point at these paths (created, moved, gone)."""
    from .pages import targets_lookup

    links = list(PageLink.objects.filter(target_path__in=paths))
    if not links:
        return
    targets = targets_lookup({link.target_path for link in links})
    for link in links:
        target = targets.get(link.target_path)
        link.broken = target is None or bool(link.anchor and link.anchor not in target.anchors)
    PageLink.objects.bulk_update(links, ["broken"])


def _search_text_update(*, page: Page, rendered) -> None:
    """Plain text for snippets everywhere; the weighted vector (title > headings > body) on
    PostgreSQL."""
    from django.contrib.postgres.search import SearchVector
    from django.db import connection
    from django.db.models import Value

    from .rendering import html_to_text

    page.plain_text = html_to_text(rendered.html)
    changes = {"plain_text": page.plain_text}
    if connection.vendor == "postgresql":
        changes["search_vector"] = (
            SearchVector(Value(page.title), weight="A", config="english")
            + SearchVector(Value(rendered.headings_text), weight="B", config="english")
            + SearchVector(Value(page.plain_text), weight="C", config="english")
        )
    Page.objects.filter(pk=page.pk).update(**changes)


def _page_changed(
    *, page: Page, created: bool = False, old_path: str | None = None, retitled: bool = False
) -> None:
    from .pages import pages_changed, render

    rendered = render(markdown=page.markdown, path=page.path)
    anchors_changed = rendered.anchors != page.anchors
    if anchors_changed:
        Page.objects.filter(pk=page.pk).update(anchors=rendered.anchors)
        page.anchors = rendered.anchors
    _page_links_replace(page=page, rendered=rendered)
    _search_text_update(page=page, rendered=rendered)
    if created or old_path or anchors_changed:
        # Links on other pages to this one may have broken or healed.
        _links_to_refresh(paths={page.path} | ({old_path} if old_path else set()))
    if created or old_path or anchors_changed or retitled:
        # Cached pages and the navigation tree show other pages' paths, anchors and titles.
        pages_changed()


@transaction.atomic
def page_save(
    *,
    path: str,
    title: str,
    markdown: str,
    team: Team | None = None,
    review_by=None,
    user=None,
    change_reason: str = "",
) -> tuple[Page, bool]:
    """Create or update the page at `path`; every change is kept in its history.

    Returns (page, changed): saving identical content records no new revision.
    """
    page = Page.objects.select_for_update().filter(path=path).first()
    created = page is None
    if created:
        page = Page(path=path)
    new = {"title": title, "markdown": markdown, "team": team, "review_by": review_by}
    if not created and all(getattr(page, field) == value for field, value in new.items()):
        return page, False
    retitled = not created and page.title != title
    for field, value in new.items():
        setattr(page, field, value)
    page.full_clean(exclude=["anchors", "search_vector"])
    page._history_user = user
    page._change_reason = change_reason or ("Created" if created else "")
    page.save()
    page_rows_changed()
    _page_changed(page=page, created=created, retitled=retitled)
    return page, True


@transaction.atomic
def page_move(*, page: Page, new_path: str, user=None) -> Page:
    """Give a page a new path; the old one redirects to it, so no URL or link breaks."""
    old_path = page.path
    if new_path == old_path:
        return page
    if Page.objects.filter(path=new_path).exists():
        raise ValidationError({"path": ["A page with this path already exists."]})
    page.path = new_path
    page.full_clean(exclude=["anchors", "search_vector"])
    page._history_user = user
    page._change_reason = f"Moved from {old_path}"
    page.save()
    PageRedirect.objects.filter(old_path=new_path).delete()
    PageRedirect.objects.update_or_create(old_path=old_path, defaults={"page": page})
    page_rows_changed()
    _page_changed(page=page, old_path=old_path)
    return page


@transaction.atomic
def page_links_rewrite(*, page: Page, old_path: str, user=None) -> list[Page]:
    """Rewrite the links of other pages that still point at a page's old path."""
    from .pages import relative_href

    rewritten = []
    source_ids = PageLink.objects.filter(target_path=old_path).exclude(page=page).values("page_id")
    for source in Page.objects.filter(pk__in=source_ids).select_for_update():
        markdown = source.markdown
        for link in source.links.filter(target_path=old_path):
            new_href = relative_href(from_path=source.path, to_path=page.path, anchor=link.anchor)
            markdown = markdown.replace(f"]({link.href})", f"]({new_href})")
            markdown = markdown.replace(f'href="{link.href}"', f'href="{new_href}"')
        if markdown != source.markdown:
            page_save(
                path=source.path,
                title=source.title,
                markdown=markdown,
                team=source.team,
                review_by=source.review_by,
                user=user,
                change_reason=f"Links to {old_path} now point to {page.path}",
            )
            rewritten.append(source)
    return rewritten


@transaction.atomic
def page_delete(*, page: Page) -> None:
    from .pages import pages_changed

    paths = {page.path, *page.redirects.values_list("old_path", flat=True)}
    page.delete()
    page_rows_changed()
    _links_to_refresh(paths=paths)
    pages_changed()


@transaction.atomic
def page_mark_reviewed(*, page: Page, user, review_by) -> Page:
    """Someone read the page and vouches for it until `review_by`."""
    from django.utils import timezone

    page.reviewed_at = timezone.now()
    page.review_by = review_by
    page._history_user = user
    page._change_reason = "Reviewed"
    page.save(update_fields=["reviewed_at", "review_by", "updated_at"])
    page_rows_changed()
    return page


# Meetings


@transaction.atomic
def meeting_create(*, team: Team, **fields):
    from .meetings import validate_recurrence
    from .models import Meeting

    meeting = Meeting(team=team, **fields)
    meeting.full_clean()
    try:
        validate_recurrence(meeting.recurrence)
    except (ValueError, TypeError) as exc:
        raise ValidationError({"recurrence": [f"Not a valid RRULE: {exc}"]}) from exc
    meeting.save()
    return meeting


# Staleness


def stale_digests_send(*, today) -> int:
    """Send each team one message a week listing its pages past their review date.

    The delivery key names the team, channel and ISO week, so running this twice in a week
    (a retry, a second beat) sends nothing twice. Returns the number of teams notified.
    """
    from django.conf import settings

    from notifications.services import notify

    from .selectors import pages_stale

    year, week, _ = today.isocalendar()
    stale_by_team: dict[int, list[Page]] = {}
    for page in pages_stale(today=today).exclude(team=None):
        stale_by_team.setdefault(page.team_id, []).append(page)
    teams = Team.objects.filter(pk__in=stale_by_team).prefetch_related("notification_channels")
    notified = 0
    for team in teams:
        channels = [c for c in team.notification_channels.all() if c.is_active]
        if not channels:
            continue
        pages = stale_by_team[team.pk]
        lines = [f"{len(pages)} handbook page(s) of {team.name} are due for review:"]
        lines += [
            f"- [{page.title}]({settings.SITE_URL}{page.get_absolute_url()}) "
            f"(review was due {page.review_by:%Y-%m-%d})"
            for page in pages
        ]
        for channel in channels:
            notify(
                channel=channel,
                key=f"stale-digest:{team.slug}:{channel.pk}:{year}-W{week:02d}",
                text="\n".join(lines),
            )
        notified += 1
    return notified
