"""The demo boards: one per demo team, about sixty tickets across the columns, and (asked for
with `load_demo --tickets N`) a big board for trying the board at size. Made through the
services; safe to run again (a board that has tickets is left as it is)."""

import itertools
import random

from django.db import transaction

from tickets import services
from tickets.models import Board, Comment, Ticket

BOARDS = [
    ("engineering", "Engineering queue", "ENG"),
    ("delivery", "Delivery queue", "DEL"),
    ("sustained-engineering", "SET queue", "SET"),
]
# Made-up work, mixed and matched: "<what> <where>".
WHAT = [
    "Flaky test in",
    "Slow page load in",
    "Crash when saving in",
    "Add export to",
    "Timeout calling",
    "Wrong time zone shown in",
    "Upgrade the library used by",
    "Improve error messages of",
    "Missing translation in",
    "Memory growth in",
]
WHERE = [
    "the release pipeline",
    "the billing service",
    "the search index",
    "the mobile app",
    "the admin console",
    "the webhook relay",
    "the nightly build",
    "the customer portal",
]
# The person the demo suggests logging in as: their home and person pages show a ticket to
# pick up next, whatever the random assignments gave them.
DEMO_PERSON = "ines.duarte"
# Of every ten cards: this many in each column.
SPREAD = [("Triage", 2), ("To do", 4), ("In progress", 2), ("Done", 2)]


def _cards(board, people, count, rng):
    columns = {column.name: column for column in board.columns.all()}
    plan = list(
        itertools.islice(
            itertools.cycle([name for name, share in SPREAD for _ in range(share)]), count
        )
    )
    titles = itertools.cycle(f"{what} {where}" for what in WHAT for where in WHERE)
    made = []
    for name in plan:
        ticket = services.ticket_create(
            board=board,
            column=columns[name],
            title=next(titles),
            kind=rng.choice(["bug", "bug", "bug", "feature", "support"]),
            severity=rng.choice(["S2", "S3", "S3", "S4"]),
            priority_class=rng.choice(["hotfix", "release", "customer", "other", "other"]),
            description="Seen on the demo servers. Steps and logs to follow.",
            labels=[f"team/{board.team.slug}"],
            reporter=rng.choice(people),
        )
        if name in ("In progress", "Done"):
            Ticket.objects.filter(pk=ticket.pk).update(assignee=rng.choice(people))
        made.append(ticket)
    return made


def _assign_waiting_work(board, person):
    if person is None or not board.team.memberships.filter(user=person).exists():
        return
    waiting = board.tickets.filter(column__name="To do").order_by("position").first()
    if waiting is not None:
        Ticket.objects.filter(pk=waiting.pk).update(assignee=person)


@transaction.atomic
def load_demo(*, teams: dict, people: dict, tickets: int = 60) -> list[Board]:
    rng = random.Random(42)  # noqa: S311 - not for secrets: the same demo every time
    boards = []
    everyone = list(people.values())
    for slug, name, prefix in BOARDS:
        board = Board.objects.filter(key_prefix=prefix).first()
        if board is None:
            board = services.board_create(team=teams[slug], name=name, key_prefix=prefix)
        members = [m.user for m in teams[slug].memberships.select_related("user")] or everyone
        count = tickets if slug == "delivery" else 60
        if not board.tickets.exists():
            made = _cards(board, members, count, rng)
            _assign_waiting_work(board, people.get(DEMO_PERSON))
            Comment.objects.create(
                ticket=made[0], author=members[0], markdown="I can reproduce this on **main**."
            )
        boards.append(board)
    return boards
