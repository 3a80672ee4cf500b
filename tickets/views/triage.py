"""The triage page: what waits in a board's triage column, and what triage does with it
(route it to the team that owns it or to the sustaining team, classify it, accept it into the
ready column); and the ready column's "Pull next" and "Sort by priority".

Every action is a plain form: without JavaScript it redirects back with a message; with htmx
it answers the page's body (list and ready column, as they are now) and the message, out of
band. A refusal is the 403 page, or for htmx a 403 with the reason in the page's status line;
a stale version is a 409 with the ticket as it is now."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import NotAllowed, StaleWrite
from tickets import permissions, selectors, services
from tickets.forms import (
    BoardActionForm,
    ColumnOfBoardForm,
    TicketOfBoardForm,
    TriageRouteForm,
    TriageUpdateForm,
)
from tickets.models import Board, Ticket


def _board_or_404(pk: int) -> Board:
    try:
        return selectors.board_get(pk=pk)
    except Board.DoesNotExist as exc:
        raise Http404("No such board.") from exc


def _context(request, board: Board) -> dict:
    return {
        "board": board,
        "view": selectors.triage_view(board=board),
        "can_work": permissions.ticket_can_work(user=request.user, board=board),
        "kinds": Ticket.Kind.choices,
        "severities": Ticket.Severity.choices,
        "priority_classes": Ticket.PriorityClass.choices,
    }


@require_GET
def triage(request, pk):
    board = _board_or_404(pk)
    return render(request, "tickets/triage.html", _context(request, board))


def _back(request, board: Board):
    """Back to the page the action was sent from (this board's triage page or its board
    page), else the triage page."""
    referer = request.headers.get("Referer", "")
    allowed = {
        reverse("tickets:triage", args=[board.pk]),
        reverse("tickets:board", args=[board.pk]),
    }
    if (
        url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and urlsplit(referer).path in allowed
    ):
        return redirect(referer)
    return redirect("tickets:triage", pk=board.pk)


def _answer(request, board: Board, message: str, status: int = 200):
    if not request.htmx:
        (messages.success if status == 200 else messages.error)(request, message)
        return _back(request, board)
    context = _context(request, board)
    context.update(message=message, failed=status != 200)
    return render(request, "tickets/triage.html#triage-answer", context, status=status)


def _refused(request, exc: NotAllowed):
    """The 403 page; for htmx, the reason in the page's status line."""
    if not request.htmx:
        raise exc
    response = render(
        request,
        "tickets/triage.html#triage-refusal",
        {"message": exc.message},
        status=403,
    )
    response["HX-Retarget"] = "#triage-status"
    response["HX-Reswap"] = "innerHTML"
    return response


def _form_problem(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


def _act(request, pk, form_class, action):
    """Check the person may work this board, read the form, run `action(form)` (which
    returns the message), and answer with what the page shows now."""
    board = _board_or_404(pk)
    try:
        # Asked before anything is read; the services ask again.
        permissions.ticket_work_check(user=request.user, board=board)
    except NotAllowed as exc:
        return _refused(request, exc)
    form = form_class(request.POST, board=board)
    if not form.is_valid():
        return _answer(request, board, f"Nothing was changed: {_form_problem(form)}", 400)
    try:
        message = action(form)
    except NotAllowed as exc:
        return _refused(request, exc)
    except StaleWrite as exc:
        return _answer(request, board, exc.message, 409)
    except ValidationError as exc:
        return _answer(request, board, f"Nothing was changed: {' '.join(exc.messages)}", 400)
    except services.NothingToPull as exc:
        return _answer(request, board, str(exc), 409)
    return _answer(request, board, message)


@require_POST
def triage_update(request, pk):
    """Change a ticket's kind, severity or priority class (fields `ticket`, `version` and
    those to change)."""

    def update(form):
        ticket = form.cleaned_data["ticket"]
        changes = form.changes()
        try:
            services.ticket_update(
                ticket=ticket, user=request.user, version=form.cleaned_data["version"], **changes
            )
        except StaleWrite as exc:
            raise StaleWrite(
                f"{ticket.key} was changed by someone else since you opened the page, so "
                "nothing was saved. It is shown as it is now: check it and choose again.",
                current=exc.current,
            ) from exc
        shown = {
            "kind": dict(Ticket.Kind.choices),
            "severity": dict(Ticket.Severity.choices),
            "priority_class": dict(Ticket.PriorityClass.choices),
        }
        words = ", ".join(shown[name][value] for name, value in changes.items())
        return f"{ticket.key} is now {words}." if words else f"{ticket.key}: nothing to change."

    return _act(request, pk, TriageUpdateForm, update)


@require_POST
def triage_route(request, pk):
    """Hand a ticket to another team's board (fields `ticket`, `board`)."""

    def route(form):
        ticket, target = form.cleaned_data["ticket"], form.cleaned_data["board"]
        old_key = ticket.key
        routed = services.ticket_route(ticket=ticket, board=target, user=request.user)
        return f"Routed {old_key} to {target.name} ({target.team.name}): it is {routed.key} there."

    return _act(request, pk, TriageRouteForm, route)


@require_POST
def triage_accept(request, pk):
    """Move a ticket from triage to the ready column (field `ticket`)."""

    def accept(form):
        moved = services.ticket_accept(ticket=form.cleaned_data["ticket"], user=request.user)
        order = moved.columns[moved.ticket.column_id]
        return (
            f"Accepted {moved.ticket.key} into {moved.ticket.column.name}, "
            f"{order.index(moved.ticket.pk) + 1} of {len(order)}."
        )

    return _act(request, pk, TicketOfBoardForm, accept)


@require_POST
def board_pull(request, pk):
    """Take the top ticket of the board's ready column: assigned to you, in progress."""

    def pull(form):
        ticket = services.ticket_pull(board=form.board, user=request.user)
        return f"You pulled {ticket.key}: it is assigned to you, in {ticket.column.name}."

    return _act(request, pk, BoardActionForm, pull)


@require_POST
def column_sort(request, pk):
    """Put a column (field `column`, the ready one) back in the default order."""

    def sort(form):
        column = form.cleaned_data["column"]
        order = services.column_sort_by_priority(column=column, user=request.user)
        return f"Sorted {column.name} by priority: {len(order)} tickets."

    return _act(request, pk, ColumnOfBoardForm, sort)
