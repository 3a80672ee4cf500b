from django.urls import path

from .views import board, intake, ticket, triage

app_name = "tickets"
urlpatterns = [
    path("boards/", board.board_list, name="home"),
    path("boards/<int:pk>/", board.board_detail, name="board"),
    path("boards/<int:pk>/version", board.board_version, name="board_version"),
    path("boards/<int:pk>/move/", board.ticket_move, name="ticket_move"),
    path("boards/<int:pk>/cards/", board.column_cards, name="column_cards"),
    # The key is parsed by the view: a malformed one is a 404 like an unknown one.
    path("tickets/<str:key>/", ticket.ticket_detail, name="ticket"),
    path("tickets/<str:key>/comments/", ticket.comment_add, name="comment_add"),
    path("boards/<int:pk>/pull/", triage.board_pull, name="board_pull"),
    path("boards/<int:pk>/sort/", triage.column_sort, name="column_sort"),
    path("boards/<int:pk>/triage/", triage.triage, name="triage"),
    path("boards/<int:pk>/triage/update/", triage.triage_update, name="triage_update"),
    path("boards/<int:pk>/triage/route/", triage.triage_route, name="triage_route"),
    path("boards/<int:pk>/triage/accept/", triage.triage_accept, name="triage_accept"),
    path("support/new/", intake.support_request, name="support_request"),
]
