"""The board page: columns of cards, filters, moving a card (drag and drop, or its buttons,
which are plain forms), and what a viewer polls to see others' moves."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from core.exceptions import NotAllowed, StaleWrite
from tickets import permissions, selectors, services
from tickets.forms import BoardFilterForm, MoveForm
from tickets.models import Board, Column
from tickets.views.cards import cards_render

MAX_LIMIT = 500  # cards per column a page shows at most (`?limit=`, the no-JS "Show more")


def board_or_404(pk: int) -> Board:
    try:
        return selectors.board_get(pk=pk)
    except Board.DoesNotExist as exc:
        raise Http404("No such board.") from exc


def _limit(query: QueryDict) -> int:
    try:
        limit = int(query.get("limit", selectors.CARDS_PER_PAGE))
    except ValueError:
        return selectors.CARDS_PER_PAGE
    return min(max(limit, selectors.CARDS_PER_PAGE), MAX_LIMIT)


def _context(request, board, *, query: QueryDict, only=None) -> dict:
    form = BoardFilterForm(query)
    filters = form.filters()
    limit = _limit(query)
    columns = selectors.board_columns(board=board, filters=filters, only=only, limit=limit)
    can_work = permissions.ticket_can_work(user=request.user, board=board)
    cards_render(columns, board=board, can_work=can_work)
    return {
        "board": board,
        "filter_form": form,
        "filters": filters,
        "filter_query": filters.query(),
        "limit": limit,
        "columns": columns,
        "can_work": can_work,
    }


@require_GET
def board_list(request):
    return render(request, "tickets/board_list.html", {"boards": selectors.board_list()})


@require_GET
@vary_on_headers("HX-Request")
def board_detail(request, pk):
    """The page; for htmx (the poll of a viewer whose board changed) its columns alone."""
    board = board_or_404(pk)
    context = _context(request, board, query=request.GET)
    if request.htmx:
        return render(request, "tickets/board.html#board-columns", context)
    context["choices"] = selectors.board_filter_choices(board=board)
    return render(request, "tickets/board.html", context)


@require_GET
@never_cache
def board_version(request, pk):
    """204 while the board is at version `?v=`; else its version now (then the page fetches
    its columns again). One query."""
    version = selectors.board_version(pk=pk)
    if version is None:
        raise Http404("No such board.")
    if request.GET.get("v") == str(version):
        return HttpResponse(status=204)
    return JsonResponse({"version": version})


@require_GET
def column_cards(request, pk):
    """The next cards of one column (`?column=`, "Show more"), from `?offset=`."""
    board = board_or_404(pk)
    filters = BoardFilterForm(request.GET).filters()
    try:
        offset = max(int(request.GET.get("offset", selectors.CARDS_PER_PAGE)), 0)
        column_pk = int(request.GET.get("column", ""))
        view = selectors.column_page(
            board=board, column_pk=column_pk, offset=offset, filters=filters
        )
    except (Column.DoesNotExist, ValueError) as exc:
        raise Http404("No such column.") from exc
    can_work = permissions.ticket_can_work(user=request.user, board=board)
    cards_render([view], board=board, can_work=can_work)
    context = {"board": board, "view": view, "filter_query": filters.query()}
    return render(request, "tickets/board.html#card-page", context)


def _page_query(request) -> QueryDict:
    """The filters of the page the move was made from (htmx says which page that is)."""
    current = request.htmx.current_url if request.htmx else None
    return QueryDict(urlsplit(current).query if current else "")


def _back(request, board):
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) and urlsplit(referer).path == reverse("tickets:board", args=[board.pk]):
        return redirect(referer)
    return redirect("tickets:board", pk=board.pk)


def _position_words(moved: services.Moved) -> str:
    order = moved.columns[moved.ticket.column_id]
    return f"{order.index(moved.ticket.pk) + 1} of {len(order)}"


@require_POST
def ticket_move(request, pk):
    """Move a card (fields `ticket`, `column`, `after`: empty for the top; or the three in one,
    `move` = "ticket:column:after", from a card's button). For htmx: the
    message, and the columns it touched as they are now (out of band); a refusal (stale
    anchor 409, hard WIP limit 400, not allowed 403) sends them too, so the card snaps back."""
    board = board_or_404(pk)
    form = MoveForm(request.POST, board=board)
    touched = moved = None
    if not form.is_valid():
        errors = [f"{name}: {' '.join(errs)}" for name, errs in form.errors.items()]
        message, status = "The move was not made: " + "; ".join(errors), 400
    else:
        ticket, column = form.cleaned_data["ticket"], form.cleaned_data["column"]
        touched = {ticket.column_id, column.pk}
        try:
            # Asked before the service locks anything; the service asks again.
            permissions.ticket_work_check(user=request.user, board=board)
            moved = services.ticket_move(
                ticket=ticket, column=column, after=form.cleaned_data["after"], user=request.user
            )
        except StaleWrite as exc:
            message, status = f"{ticket.key} was not moved: {exc.message}", 409
        except ValidationError as exc:
            message, status = f"{ticket.key} was not moved: {' '.join(exc.messages)}", 400
        except NotAllowed as exc:
            message, status = exc.message, 403
        else:
            message = f"Moved {ticket.key} to {column.name}, {_position_words(moved)}"
            status = 200
    if not request.htmx:
        if status == 200:
            messages.success(request, message)
            return _back(request, board)
        messages.error(request, message)
        context = _context(request, board, query=QueryDict())
        context["choices"] = selectors.board_filter_choices(board=board)
        return render(request, "tickets/board.html", context, status=status)
    context = _context(request, board, query=_page_query(request), only=touched)
    context.update(message=message, failed=status != 200, oob=True)
    response = render(request, "tickets/board.html#move-answer", context, status=status)
    if moved is not None:
        # The board's version after this move: a page that was at the one before has seen
        # every change there is, and need not fetch its columns again.
        response["X-Board-Version"] = str(moved.version)
    return response
