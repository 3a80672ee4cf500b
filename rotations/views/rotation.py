"""A rota's page (who is on now, the coming weeks, overrides, fairness) and its editing."""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from core.exceptions import NotAllowed
from core.fragments import shared_fragment
from handbook import selectors as handbook_selectors
from handbook.models import Team
from rotations import permissions, selectors, services
from rotations.forms import OverrideForm, RoleFormSet, RotationForm
from rotations.models import Rotation


def rotation_or_404(pk: int) -> Rotation:
    try:
        return selectors.rotation_get(pk=pk)
    except Rotation.DoesNotExist as exc:
        raise Http404("No such rota.") from exc


def rota_context(request, rotation: Rotation, *, override_form=None, snapshot=None) -> dict:
    """What the page's body and its live part (htmx) show."""
    now = timezone.now()
    snapshot = snapshot or selectors.rotation_snapshot(rotation_id=rotation.pk)
    can_edit, can_override = permissions.rota_page_rights(
        user=request.user, team_id=rotation.team_id
    )
    return {
        "rotation": rotation,
        "snapshot": snapshot,
        "now": now,
        "holders": selectors.oncall_at(snapshot=snapshot, at=now),
        # Computed only when the grid is rendered, not when it comes from the cache.
        "grid": partial(selectors.rota_grid, snapshot=snapshot, now=now),
        "grid_key": selectors.rota_grid_key(snapshot=snapshot, now=now),
        "fragment_key": selectors.rota_fragment_key(snapshot=snapshot, now=now),
        "overrides": selectors.override_list(rotation=rotation, now=now),
        "can_edit": can_edit,
        "can_override": can_override,
        "override_form": override_form or OverrideForm(rotation=rotation),
        # A form with what someone typed is never kept; a fresh one lists the team's members.
        "override_form_key": ""
        if override_form is not None
        else selectors.override_form_key(snapshot=snapshot, now=now),
        # Computed only when not kept from an earlier request (an hour at most).
        "fairness": partial(selectors.fairness, snapshot=snapshot, now=now),
        "fairness_key": selectors.rota_fragment_key(snapshot=snapshot, now=now, minutes=60),
        # Worked out only when not kept from an earlier request (a minute at most).
        "problems": partial(selectors.rota_problems, snapshot=snapshot, now=now),
    }


def rota_page(request, pk: int, *, rotation=None, override_form=None, status=200):
    """The whole rota page (or, for htmx, its live part).

    Its body is the same for everyone with the same rights within a minute, as long as
    nobody holds a role until a different time: it is kept under rota_page_key and served
    without reading the rotation again; a form with someone's input is never kept."""
    snapshot = selectors.rotation_snapshot(rotation_id=pk)
    if snapshot is None:
        raise Http404("No such rota.")

    def context():
        return rota_context(
            request,
            rotation or rotation_or_404(pk),
            override_form=override_form,
            snapshot=snapshot,
        )

    if request.htmx:
        return render(request, "rotations/rotation.html#rota-live", context(), status=status)
    now = timezone.now()
    rights = permissions.rota_page_rights(user=request.user, team_id=snapshot.team_id)
    key = ""
    if override_form is None:
        holders = selectors.oncall_at(snapshot=snapshot, at=now)
        key = selectors.rota_page_key(snapshot=snapshot, now=now, holders=holders, rights=rights)
    body = shared_fragment(request, "rotations/rotation.html", context, key=key, timeout=60)
    return render(
        request, "rotations/rota_page.html", {"snapshot": snapshot, "body": body}, status=status
    )


@require_GET
@vary_on_headers("HX-Request")
def rotation_detail(request, pk):
    return rota_page(request, pk)


def _role_initial(rotation: Rotation) -> list[dict]:
    return [
        {
            "name": role.name,
            "handoff_weekday": role.handoff_weekday,
            "handoff_time": role.handoff_time,
            "cycle_weeks": role.cycle_weeks,
            "start": role.start,
            "escalation_timeout_minutes": role.escalation_timeout_minutes,
            "members": "\n".join(
                member.user.username for member in role.members.select_related("user")
            ),
        }
        for role in rotation.roles.order_by("position")
    ]


def _role_specs(formset) -> list[services.RoleSpec]:
    return [
        services.RoleSpec(**form.cleaned_data)
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _apply_errors(form, formset, exc: ValidationError | NotAllowed) -> None:
    if isinstance(exc, NotAllowed):
        form.add_error(None, exc.message)
        return
    for field, messages in exc.message_dict.items():
        if field in form.fields:
            form.add_error(field, messages)
        elif formset.forms and field in formset.forms[0].fields:
            formset.forms[0].add_error(field, messages)
        else:
            form.add_error(None, messages)


@require_http_methods(["GET", "POST"])
def rotation_edit(request, pk=None):
    """Create (for ?team=<slug>) or change a rotation and its roles."""
    rotation = rotation_or_404(pk) if pk else None
    team = rotation.team if rotation else _team_from(request)
    allowed = (
        permissions.rotation_can_edit(user=request.user, rotation=rotation)
        if rotation
        else permissions.rotation_can_create(user=request.user, team=team)
    )
    if not allowed:
        raise PermissionDenied(
            f"Only the {team.name} team's leads and managers, and admins, may edit its rotas."
        )
    form = RotationForm(request.POST or None, instance=rotation)
    formset = RoleFormSet(
        request.POST or None,
        initial=_role_initial(rotation) if rotation else None,
        prefix="roles",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            with transaction.atomic():
                if rotation:
                    rotation = services.rotation_update(
                        rotation=rotation, roles=_role_specs(formset), user=request.user, **fields
                    )
                else:
                    rotation = services.rotation_create(
                        team=team, roles=_role_specs(formset), user=request.user, **fields
                    )
        except (ValidationError, NotAllowed) as exc:
            _apply_errors(form, formset, exc)
        else:
            return redirect(rotation)
    context = {"rotation": rotation, "team": team, "form": form, "formset": formset}
    return render(request, "rotations/rotation_edit.html", context)


def _team_from(request) -> Team:
    try:
        return handbook_selectors.team_get(slug=request.GET.get("team", ""))
    except Team.DoesNotExist as exc:
        raise Http404("No such team: open this page from a team's page.") from exc
