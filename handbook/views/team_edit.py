"""A team's edit page, for its leads and managers and for admins: the charter (with its
ordered lists of principles and ownership), contacts and workstreams, each section a form of
its own. Members and meetings are in team_people.py; the rules are in handbook.permissions
and checked by the services, asked here only to answer 403 before any work.

Each section posts to its own address. Without JavaScript, the buttons of an ordered list
(add, remove, move up, move down) post the form with `op` and get it back rearranged, nothing
saved; with it (static/js/ordered-list.js) they rearrange the page in place."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import NotAllowed, StaleWrite
from handbook import permissions, selectors, services
from handbook.models import Team
from handbook.team_forms import (
    CharterForm,
    ContactRowForm,
    MeetingForm,
    MemberAddForm,
    MemberRoleForm,
    Rows,
    WorkstreamRowForm,
    list_operation,
)

ROW_SECTIONS = {
    "contacts": (ContactRowForm, selectors.team_contact_rows, "Contacts saved."),
    "workstreams": (WorkstreamRowForm, selectors.team_workstream_rows, "Workstreams saved."),
}


def editable_team(request, slug: str) -> Team:
    """The team, if this person may edit it (404 for no such team, 403 otherwise)."""
    try:
        team = selectors.team_get(slug=slug)
    except Team.DoesNotExist as exc:
        raise Http404("No such team.") from exc
    if not permissions.team_can_edit(user=request.user, team=team):
        raise PermissionDenied(
            f"Only the {team.name} team's leads and managers, and admins, may edit it."
        )
    return team


def _charter_initial(team: Team) -> dict:
    return {name: getattr(team, name) for name in CharterForm.FIELDS} | {
        "base_version": team.version
    }


def edit_page(request, team: Team, *, status: int = 200, **sections):
    """The whole edit page; `sections` replace the fresh forms of the sections posted."""
    context = {
        "team": team,
        "charter": CharterForm(initial=_charter_initial(team)),
        "lists": {},
        "focus": None,
        "contacts": Rows(
            ContactRowForm, key="contact", initial=selectors.team_contact_rows(team=team)
        ),
        "workstreams": Rows(
            WorkstreamRowForm, key="workstream", initial=selectors.team_workstream_rows(team=team)
        ),
        "memberships": [
            (
                membership,
                MemberRoleForm(
                    initial={"role": membership.role}, auto_id=f"id_role_{membership.pk}_%s"
                ),
            )
            for membership in team.memberships.all()
        ],
        "member_add": MemberAddForm(),
        "meetings": [
            (meeting, MeetingForm(instance=meeting, prefix=f"meeting-{meeting.pk}"))
            for meeting in team.meetings.all()
        ],
        "meeting_add": MeetingForm(prefix="new-meeting"),
        "people": selectors.people_to_pick(),
        "base_version": team.version,
        "conflict": None,
    }
    context.update(sections)
    if "lists" not in sections:
        context["lists"] = {
            name: context["charter"].initial.get(name, []) for name in CharterForm.LISTS
        }
    return render(request, "handbook/team_edit.html", context, status=status)


@require_GET
def team_edit(request, slug):
    return edit_page(request, editable_team(request, slug))


def form_errors(form, exc: ValidationError | NotAllowed) -> None:
    if isinstance(exc, NotAllowed):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _label(name: str) -> str:
    return CharterForm.base_fields[name].label or name.replace("_", " ").capitalize()


def _charter_merged(request, team: Team, form, current: Team, mine: dict):
    """A charter saved from an older version: the fields only the others changed take their
    value, the rest keep this person's. With no field changed by both, that is saved; else
    the page shows the fields both changed (what is saved now) and the form holds the merge,
    so saving again, from the version now saved, is a decision made knowing both."""
    merge = selectors.team_charter_merge(
        current=current, base_version=form.cleaned_data["base_version"], mine=mine
    )
    kept = ", ".join(_label(name).lower() for name in merge.taken)
    if not merge.conflicts:
        try:
            services.team_update(
                team=team, by=request.user, base_version=current.version, **merge.values
            )
        except StaleWrite:
            messages.error(request, "The charter changed again while saving; nothing was saved.")
            return redirect(reverse("handbook:team_edit", args=[team.slug]) + "#charter")
        note = f" Someone changed the {kept} meanwhile; their change is kept." if kept else ""
        messages.success(request, "Charter saved." + note)
        return redirect(reverse("handbook:team_edit", args=[team.slug]) + "#charter")
    initial = {**merge.values, "base_version": current.version}
    conflict = {
        "section": "charter",
        "kept": kept,
        "fields": [
            {
                "label": _label(name),
                "saved": getattr(current, name),
                "lines": name in CharterForm.LISTS,
            }
            for name in merge.conflicts
        ],
    }
    lists = {name: merge.values[name] for name in CharterForm.LISTS}
    return edit_page(
        request,
        team,
        status=409,
        charter=CharterForm(initial=initial),
        lists=lists,
        conflict=conflict,
    )


@require_POST
def team_charter(request, slug):
    team = editable_team(request, slug)
    operation = request.POST.get("op", "")
    if operation:
        # A list button without JavaScript: the form comes back rearranged, nothing saved.
        initial = {name: request.POST.get(name, "") for name in CharterForm.FIELDS}
        initial["base_version"] = request.POST.get("base_version", team.version)
        lists = {name: request.POST.getlist(name) for name in CharterForm.LISTS}
        name, _, rest = operation.partition(":")
        focus = None
        if name in lists:
            lists[name], index = list_operation(lists[name], rest)
            lists[name] = [line or "" for line in lists[name]]
            focus = {"list": name, "index": index, "op": rest.partition(":")[0]}
        return edit_page(
            request, team, charter=CharterForm(initial=initial), lists=lists, focus=focus
        )
    form = CharterForm(request.POST)
    lists = {name: request.POST.getlist(name) for name in CharterForm.LISTS}
    if form.is_valid():
        mine = {name: form.cleaned_data[name] for name in CharterForm.FIELDS}
        try:
            services.team_update(
                team=team, by=request.user, base_version=form.cleaned_data["base_version"], **mine
            )
        except StaleWrite as stale:
            return _charter_merged(request, team, form, stale.current, mine)
        except (ValidationError, NotAllowed) as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Charter saved.")
            return redirect(reverse("handbook:team_edit", args=[team.slug]) + "#charter")
    return edit_page(request, team, status=400, charter=form, lists=lists)


def _rows_post(request, slug, section: str):
    team = editable_team(request, slug)
    form_class, current_rows, saved_message = ROW_SECTIONS[section]
    key = section.removesuffix("s")
    operation = request.POST.get("op", "").removeprefix(f"{section}:")
    if operation:
        posted, index = list_operation(Rows.posted(form_class, request.POST), operation)
        rows = Rows(form_class, key=key, initial=[row or {} for row in posted])
        focus = {"list": section, "index": index, "op": operation.partition(":")[0]}
        return edit_page(request, team, focus=focus, **{section: rows})
    rows = Rows(form_class, key=key, data=request.POST)
    try:
        base_version = int(request.POST.get("base_version", ""))
    except ValueError:
        base_version = None
    if rows.is_valid():
        try:
            services.team_update(
                team=team,
                by=request.user,
                base_version=base_version,
                **{section: rows.cleaned_data},
            )
        except StaleWrite as stale:
            conflict = {"section": section, "rows": current_rows(team=stale.current)}
            return edit_page(
                request,
                team,
                status=409,
                conflict=conflict,
                base_version=stale.current.version,
                **{section: rows},
            )
        except (ValidationError, NotAllowed) as exc:
            rows.error = " ".join(exc.messages)
        else:
            messages.success(request, saved_message)
            return redirect(reverse("handbook:team_edit", args=[team.slug]) + f"#{section}")
    return edit_page(request, team, status=400, **{section: rows})


@require_POST
def team_contacts(request, slug):
    return _rows_post(request, slug, "contacts")


@require_POST
def team_workstreams(request, slug):
    return _rows_post(request, slug, "workstreams")
