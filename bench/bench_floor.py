"""Scenario: the floor. A trivial authenticated JSON endpoint (GET /api/v1/auth/me/ with a
token) over HTTP against gunicorn on PostgreSQL: p50, p95 and requests per second."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    FLOOR_PATH,
    bench_user_token,
    ensure_bench_database,
    gunicorn,
    measure_floor,
    print_figures,
)


def main():
    ensure_bench_database()
    token = bench_user_token()
    with gunicorn(workers=2) as (host, port):
        result = measure_floor(host, port, token, requests=2000, concurrency=4)
    print_figures(f"floor: GET {FLOOR_PATH} (gunicorn, 2 workers)", result)


if __name__ == "__main__":
    main()
