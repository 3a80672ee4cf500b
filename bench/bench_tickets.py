"""Scenario: the ticket board. The board page for a team member with 20 and with 2,000
tickets (each column shows 50 cards), and a move through the API, against the floor.

Targets (the tickets issue): the board page at 2,000 tickets <= 1.5x the page at 20; a move
p50 <= 2x the floor.
"""

import http.client
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    bench_user_token,
    ensure_bench_database,
    figures,
    gunicorn,
    load,
    measure_floor,
    print_figures,
    session_cookie,
    setup_django,
)

TEAM = "bench-tickets"
MEMBER = "bench.board.member"
BOARDS = {"BSM": 20, "BBG": 2000}  # key prefix: tickets
MOVES = 300
ROUNDS = 7


def seed_board(prefix: str, count: int):
    """A board of `count` tickets over its four columns (made once, kept while its size is
    right). Cards are written in bulk at the positions the services would give them."""
    from accounts.models import User
    from handbook.models import Membership, Team
    from tickets import services
    from tickets.models import Board, Ticket

    team, _ = Team.objects.get_or_create(slug=TEAM, defaults={"name": "Bench tickets"})
    member, _ = User.objects.get_or_create(username=MEMBER)
    Membership.objects.get_or_create(team=team, user=member)
    board = Board.objects.filter(key_prefix=prefix).first()
    if board is not None and board.tickets.count() == count:
        return board, member
    if board is not None:
        board.delete()
    board = services.board_create(team=team, name=f"Bench {count}", key_prefix=prefix)
    columns = list(board.columns.order_by("position"))
    Ticket.objects.bulk_create(
        Ticket(
            board=board,
            number=n + 1,
            column=columns[n % len(columns)],
            position=(n // len(columns) + 1) * services.GAP,
            title=f"Bench ticket {n + 1}",
            severity=("S1", "S2", "S3", "S4")[n % 4],
        )
        for n in range(count)
    )
    Board.objects.filter(pk=board.pk).update(next_number=count + 1)
    return board, member


def moves(host, port, token, ticket_id, columns, *, count):
    """Move one card back and forth between the tops of two columns, one move at a time."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    latencies = []
    for n in range(count):
        body = json.dumps({"column": columns[n % 2], "after": None})
        started = time.perf_counter()
        conn.request("POST", f"/api/v1/tickets/{ticket_id}/move/", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        if response.status != 200:
            raise RuntimeError(f"move answered {response.status}")
    conn.close()
    return figures(latencies)


def main():
    ensure_bench_database()
    token = bench_user_token()
    setup_django()
    boards = {prefix: seed_board(prefix, count) for prefix, count in BOARDS.items()}
    _, member = boards["BSM"]
    big, _ = boards["BBG"]
    cookie = {"Cookie": session_cookie(member.username)}
    card = big.tickets.order_by("pk").first()
    columns = [column.pk for column in big.columns.order_by("position")[:2]]

    with gunicorn(workers=2) as (host, port):
        floor = measure_floor(host, port, token, requests=600, concurrency=2)
        print_figures("floor: GET /api/v1/auth/me/", floor)
        # The two boards take turns over ROUNDS rounds (this machine's speed drifts within a
        # run); the ratio is the median of the rounds' ratios, with its range.
        paths = {prefix: f"/boards/{board.pk}/" for prefix, (board, _) in boards.items()}
        rounds = [
            {
                prefix: load(host, port, path, headers=cookie, requests=60, concurrency=2)
                for prefix, path in paths.items()
            }
            for _ in range(ROUNDS)
        ]
        for prefix, path in paths.items():
            merged = {
                key: sorted(r[prefix][key] for r in rounds)[ROUNDS // 2]
                for key in ("p50_ms", "p95_ms")
            }
            print_figures(f"board page, {BOARDS[prefix]} tickets: GET {path}", merged, floor)
        ratios = sorted(r["BBG"]["p50_ms"] / r["BSM"]["p50_ms"] for r in rounds)
        print(
            f"{'':<44} 2,000 tickets / 20 tickets: p50 {ratios[ROUNDS // 2]:.2f}x (median of "
            f"{ROUNDS} interleaved rounds; {ratios[0]:.2f}x to {ratios[-1]:.2f}x)",
            flush=True,
        )
        moved = moves(host, port, token, card.pk, columns, count=MOVES)
        print_figures(f"move (API), {MOVES} in a row, 2,000-ticket board", moved, floor)


if __name__ == "__main__":
    main()
