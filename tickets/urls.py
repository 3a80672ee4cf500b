from django.urls import path

from .views import board

app_name = "tickets"
urlpatterns = [
    path("boards/", board.board_list, name="home"),
    path("boards/<int:pk>/", board.board_detail, name="board"),
    path("boards/<int:pk>/version", board.board_version, name="board_version"),
    path("boards/<int:pk>/move/", board.ticket_move, name="ticket_move"),
    path("boards/<int:pk>/cards/", board.column_cards, name="column_cards"),
]
