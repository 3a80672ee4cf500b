"""The ticket page: its description, comments, history and mentions, and adding a comment
(a plain form, or htmx answered with the comments as they are now)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from core.exceptions import NotAllowed
from tickets import permissions, selectors, services
from tickets.forms import CommentForm
from tickets.models import Ticket


def _moved_or_404(key: str):
    """A key the ticket had before it was routed leads to it; any other is a 404."""
    moved = selectors.ticket_key_moved(key=key)
    if moved is None:
        raise Http404("No such ticket.")
    return redirect(moved, permanent=True)


def _page(request, key: str, *, form: CommentForm | None = None, added=None, partial=""):
    page = selectors.ticket_page(key=key)
    context = {
        "page": page,
        "ticket": page.ticket,
        "board": page.ticket.board,
        "can_work": permissions.ticket_can_work(user=request.user, board=page.ticket.board),
        "form": form or CommentForm(),
        "added": added,
    }
    template = "tickets/ticket.html" + (f"#{partial}" if partial else "")
    return render(request, template, context)


@require_GET
def ticket_detail(request, key):
    try:
        return _page(request, key)
    except Ticket.DoesNotExist:
        return _moved_or_404(key)


@require_POST
@vary_on_headers("HX-Request")
def comment_add(request, key):
    """Add a comment: back to the page at the new comment (or, for htmx, the comments, the
    history and the mentions as they are now); an empty one gets a form error, nothing saved."""
    try:
        ticket = selectors.ticket_get(key=key)
    except Ticket.DoesNotExist as exc:
        raise Http404("No such ticket.") from exc
    try:
        # Before reading the form: someone who may not comment learns it at once.
        permissions.ticket_work_check(user=request.user, board=ticket.board)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    form = CommentForm(request.POST)
    comment = None
    if form.is_valid():
        try:
            comment = services.comment_add(
                ticket=ticket, body=form.cleaned_data["body"], user=request.user
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ValidationError as exc:
            form.add_error("body", exc.messages)
    if request.htmx:
        partial = "comment-answer"
        return _page(request, key, form=None if comment else form, added=comment, partial=partial)
    if comment is None:
        return _page(request, key, form=form)
    messages.success(request, f"Your comment on {ticket.key} is added.")
    return redirect(f"{ticket.get_absolute_url()}#comment-{comment.pk}")
