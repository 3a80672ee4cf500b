"""Scenario: the rotas. Who is on call over HTTP (now, and ten years ahead) and the rota page
for a team member, each against the floor; in process, a year of shifts of a three-role
rotation with 50 overrides, from a cold and a warm snapshot.

Targets (the rotas issue): the on-call lookup <= 1.2x the floor; the rota page <= 2x the
floor; a year of shifts <= 50 ms.
"""

import random
import sys
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    bench_user_token,
    ensure_bench_database,
    figures,
    gunicorn,
    interleaved,
    load,
    measure_floor,
    print_figures,
    session_cookie,
    setup_django,
)

OVERRIDES = 50
YEAR = timedelta(days=365)
TEAM = "bench-rotas"
ROTATION = "Bench support"
MEMBERS = [f"bench.rota.{n}" for n in range(1, 7)]


def seed_rotation():
    """A fresh three-role rotation (Primary and Backup weekly, Lead every two weeks; four to
    six people each), begun about a year ago, with 50 overrides over the coming year. Made
    again on every run: overrides may not begin in the past, so last run's would be stale."""
    from django.utils import timezone

    from accounts.models import User
    from handbook.models import Membership, Team
    from rotations import services
    from rotations.models import Rotation
    from rotations.services import RoleSpec

    team, _ = Team.objects.get_or_create(slug=TEAM, defaults={"name": "Bench rotas"})
    people = []
    for n, username in enumerate(MEMBERS, start=1):
        person, _ = User.objects.get_or_create(username=username)
        person.display_name = f"Bench Person {n}"
        person.save()
        Membership.objects.get_or_create(team=team, user=person)
        people.append(person)
    Rotation.objects.filter(team=team, name=ROTATION).delete()

    today = timezone.now().date()
    begun = today - timedelta(weeks=52)
    begun -= timedelta(days=begun.weekday())  # a Monday

    def spec(name, members, *, cycle=1):
        return RoleSpec(
            name=name,
            handoff_weekday=0,
            handoff_time=clock(9),
            cycle_weeks=cycle,
            start=begun,
            members=members,
            escalation_timeout_minutes=15,
        )

    rotation = services.rotation_create(
        team=team,
        name=ROTATION,
        timezone="Europe/Berlin",
        holiday_country="DE",
        roles=[
            spec("Primary", people[:5]),
            spec("Backup", people[1:5] + people[:1]),
            spec("Lead", people[2:6], cycle=2),
        ],
    )
    rng = random.Random(11)
    roles = list(rotation.roles.order_by("position"))
    now = timezone.now()
    for n in range(OVERRIDES):
        # Spread over the coming year, a few hours to three days each.
        start = now + timedelta(hours=1) + n * (YEAR / OVERRIDES)
        start += timedelta(hours=rng.randrange(0, 72))
        services.override_create(
            role=rng.choice(roles),
            person=rng.choice(people),
            start=start,
            end=start + timedelta(hours=rng.choice((4, 9, 24, 48, 72))),
            reason="Bench: covering",
        )
    return rotation, people


def year_of_shifts(rotation_id: int, start, *, cold: bool, repeat: int) -> dict:
    """What GET /shifts/ computes for [start, start + a year): the snapshot, then the final
    timeline of every role. Cold: the snapshot is read from the database (a data version
    is bumped first, as any write to a rota does)."""
    from core.versions import bump_version
    from rotations import selectors

    latencies = []
    for _ in range(repeat):
        if cold:
            bump_version("rotations.Override")
        started = time.perf_counter()
        snapshot = selectors.rotation_snapshot(rotation_id=rotation_id, since=start)
        shifts = selectors.shifts_between(snapshot=snapshot, start=start, end=start + YEAR)
        latencies.append(time.perf_counter() - started)
    assert shifts
    return figures(latencies)


def main():
    ensure_bench_database()
    token = bench_user_token()
    setup_django()

    from django.utils import timezone

    from rotations import selectors

    rotation, people = seed_rotation()
    snapshot = selectors.rotation_snapshot(rotation_id=rotation.pk)
    print(
        f"rotation {rotation.pk}: {len(snapshot.roles)} roles, "
        f"{sum(len(r.rota.overrides) for r in snapshot.roles)} overrides"
    )

    now = timezone.now()
    shifts = selectors.shifts_between(snapshot=snapshot, start=now, end=now + YEAR)
    print(f"  a year from now: {len(shifts)} stretches over {len(snapshot.roles)} roles")
    year_of_shifts(rotation.pk, now, cold=True, repeat=3)  # imports, connections
    print_figures(
        "a year of shifts, cold snapshot (in process)",
        year_of_shifts(rotation.pk, now, cold=True, repeat=50),
    )
    print_figures(
        "a year of shifts, warm snapshot (in process)",
        year_of_shifts(rotation.pk, now, cold=False, repeat=200),
    )

    auth = {"Authorization": f"Token {token}"}
    # The page is read by a member of the team (an engineer on the rota): a session cookie.
    cookie = {"Cookie": session_cookie(people[0].username)}
    ahead = (now + timedelta(days=3652)).replace(microsecond=0)
    ahead_param = ahead.strftime("%Y-%m-%dT%H:%M:%SZ")
    base = f"/api/v1/rotations/{rotation.pk}"
    with gunicorn(workers=2) as (host, port):
        floor = measure_floor(host, port, token, requests=1000, concurrency=2)
        print_figures("floor: GET /api/v1/auth/me/", floor)
        interleaved(host, port, token, f"{base}/oncall/", auth, label="on call now")
        interleaved(
            host,
            port,
            token,
            f"{base}/oncall/?at={ahead_param}",
            auth,
            label="on call in ten years",
        )
        interleaved(host, port, token, f"/rotations/{rotation.pk}/", cookie, label="rota page")
        # For scale: a portal page with next to nothing on it (the list of boards) costs the
        # base template, the session and the menus; the rota page's target is set against the
        # API floor, which has none of those.
        interleaved(host, port, token, "/boards/", cookie, label="a bare portal page")
        start = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        end = (now + YEAR).strftime("%Y-%m-%dT%H:%M:%SZ")
        shifts_api = load(
            host,
            port,
            f"{base}/shifts/?start={start}&end={end}",
            headers=auth,
            requests=100,
            concurrency=1,
            warmup=5,
        )
        print_figures("a year of shifts, API (warm)", shifts_api, floor)


if __name__ == "__main__":
    main()
