"""Adding and cancelling overrides from the rota page (htmx, or a plain form post)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from core.exceptions import NotAllowed
from rotations import permissions, selectors, services
from rotations.forms import OverrideForm
from rotations.models import Override

from .rotation import rota_page, rotation_or_404


def _answer(request, rotation, *, form=None, status=200):
    """The rota's live part for htmx (status 400 with the form's errors), else the page."""
    if request.htmx or (form is not None and form.errors):
        # The page again, with the errors next to the fields and what was typed kept.
        return rota_page(request, rotation.pk, rotation=rotation, override_form=form, status=status)
    return redirect(rotation)


@require_POST
def override_add(request, pk):
    rotation = rotation_or_404(pk)
    if not permissions.override_can_manage(user=request.user, rotation=rotation):
        raise PermissionDenied(
            f"Only members of the {rotation.team.name} team, and admins, may add overrides."
        )
    form = OverrideForm(request.POST, rotation=rotation)
    if form.is_valid():
        data = form.cleaned_data
        try:
            override = services.override_create(
                role=data["role"],
                person=data["person"],
                start=data["start"],
                end=data["end"],
                reason=data["reason"],
                user=request.user,
            )
        except (ValidationError, NotAllowed) as exc:
            errors = {"__all__": [exc.message]} if isinstance(exc, NotAllowed) else exc.message_dict
            for field, field_errors in errors.items():
                name = "person" if field == "username" else field
                form.add_error(name if name in form.fields else None, field_errors)
        else:
            messages.success(
                request, f"{override.user.name} covers {override.role.name}: override added."
            )
            return _answer(request, rotation)
    return _answer(request, rotation, form=form, status=400)


@require_POST
def override_cancel(request, pk):
    try:
        override = selectors.override_get(pk=pk)
    except Override.DoesNotExist as exc:
        raise Http404("No such override.") from exc
    rotation = override.role.rotation
    try:
        services.override_cancel(override=override, user=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Override cancelled: the rota takes over again.")
    return _answer(request, rotation)
