"""The editor's helpers (static/js/editor.js and link-picker.js): the link picker's
answers, autosaved drafts, and images (upload, and serving them to people who may read them).

A page's helpers live at `.../<page path>`, a new page's at the same route without one.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import NotAllowed
from handbook import permissions, selectors, services
from handbook.forms import LinkTargetsForm, PageDraftForm, PageImageForm
from handbook.models import Page

from .pages import page_or_404


def _field_errors(form) -> JsonResponse:
    """A 400 naming each field and what is wrong with it: `{"field": ["message"]}`."""
    return JsonResponse(
        {
            field: [error["message"] for error in errors]
            for field, errors in form.errors.get_json_data().items()
        },
        status=400,
    )


def _page_for_writing(request, path: str | None) -> Page | None:
    """The page (None for a new one) if the person may write it; 403 with the reason."""
    page = page_or_404(path) if path else None
    try:
        if page is not None:
            permissions.page_edit_check(user=request.user, page=page)
        else:
            permissions.page_draft_check(user=request.user, page=None)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    return page


@require_GET
def link_targets(request):
    """`?q=&from_path=` -> `{"query", "results": [{"label", "detail", "href", "path",
    "anchor"}]}`: pages and sections to link to, with the href to write from `from_path`."""
    if not permissions.page_can_create_any(user=request.user):
        raise PermissionDenied("Only people who may edit pages can pick links.")
    form = LinkTargetsForm(request.GET)
    if not form.is_valid():
        return _field_errors(form)
    query = form.cleaned_data["q"]
    targets = selectors.link_targets(query=query, from_path=form.cleaned_data["from_path"])
    response = JsonResponse(
        {
            "query": query,
            "results": [
                {
                    "label": target.label,
                    "detail": target.detail,
                    "href": target.href,
                    "path": target.path,
                    "anchor": target.anchor,
                }
                for target in targets
            ],
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def draft_save(request, path=None):
    """The editor's autosave: keeps the fields as typed; answers when it was kept."""
    page = _page_for_writing(request, path)
    form = PageDraftForm(request.POST)
    if not form.is_valid():
        return _field_errors(form)
    data = form.cleaned_data
    try:
        draft = services.page_draft_save(
            user=request.user,
            page=page,
            path=data["path"],
            title=data["title"],
            markdown=data["markdown"].replace("\r\n", "\n"),
            team=data["team"],
            change_summary=data["change_summary"],
            base_version=data["base_version"] or 0,
        )
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    saved_at = timezone.localtime(draft.updated_at)
    return JsonResponse(
        {
            "saved_at": draft.updated_at.isoformat(),
            "message": f"Draft saved at {date_format(saved_at, 'H:i')}.",
        }
    )


@require_POST
def draft_discard(request, path=None):
    """The "Discard draft" button: the editor opens again with the page as saved."""
    page = _page_for_writing(request, path)
    if services.page_draft_discard(user=request.user, page=page):
        messages.success(request, "Draft discarded.")
    if page is not None:
        return redirect("handbook:page_edit", page.path)
    return HttpResponseRedirect(reverse("handbook:page_new"))


@require_POST
def image_upload(request, path=None):
    """A pasted or chosen image -> 201 `{"url", "markdown"}`; 400 `{"image": [...]}` for a
    file that is too big or not an image."""
    page = page_or_404(path) if path else None
    form = PageImageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _field_errors(form)
    try:
        image = services.page_image_upload(
            user=request.user,
            upload=form.cleaned_data["image"],
            page=page,
            team=form.cleaned_data["team"],
        )
    except NotAllowed as exc:
        # The editor shows the reason next to the button (a new page's team, say).
        return JsonResponse({exc.field or "image": [exc.message]}, status=403)
    except ValidationError as exc:
        return JsonResponse(exc.message_dict, status=400)
    url = image.get_absolute_url()
    alt = image.name.rsplit(".", 1)[0].replace("]", "").replace("[", "") or "image"
    return JsonResponse({"url": url, "markdown": f"![{alt}]({url})"}, status=201)


@require_GET
def page_image(request, pk):
    """An image, to those who may read its team's pages (404 to anyone else)."""
    image = selectors.page_image_get_for_user(user=request.user, image_id=pk)
    if image is None:
        raise Http404("No such image.")
    try:
        file = image.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The image's file is missing.") from exc
    response = FileResponse(file, content_type=image.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    # The images never change (a new upload is a new image); only people logged in see them.
    response["Cache-Control"] = "private, max-age=86400"
    return response
