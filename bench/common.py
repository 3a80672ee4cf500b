"""Shared pieces of the benchmark scenarios: a bench database on PostgreSQL, a gunicorn
server, and an HTTP load loop that reports p50/p95 and requests per second.

Every scenario measures the floor (a trivial authenticated JSON endpoint) in the same run, so
its figures can be read as ratios that do not depend on how fast this machine is today.
"""

import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# BENCH_DB_NAME picks another bench database (a helper benchmarking beside another one).
BENCH_DB_NAME = os.environ.get("BENCH_DB_NAME", "bosun_bench")


def bench_env() -> dict:
    """Environment for the bench processes: the bench database next to the test one."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bosun")
    parts = urlsplit(base)
    database_url = urlunsplit(parts._replace(path=f"/{BENCH_DB_NAME}"))
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        # Redis dbs of their own: the tests use dbs 1 to 8, and a bench run beside them must
        # neither read their cache nor queue tasks on their broker.
        "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/10"),
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9"),
        "LOG_LEVEL": "WARNING",
        # Throttling stays on (it is part of every request) but must not cut the run short.
        "API_THROTTLE_RATE": "10000000/min",
    }


def ensure_bench_database() -> None:
    import psycopg

    parts = urlsplit(bench_env()["DATABASE_URL"])
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (BENCH_DB_NAME,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{BENCH_DB_NAME}"')
    manage("migrate", "--no-input", "-v", "0")
    # DEBUG is off, as in production: pages need the collected, hashed static files.
    manage("collectstatic", "--no-input", "-v", "0")


def manage(*args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=bench_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def bench_user_token(username: str = "bench.admin") -> str:
    """A staff account for the benchmarks, and its API token."""
    manage(
        "shell",
        "-c",
        "from accounts.models import User;"
        f"u, _ = User.objects.get_or_create(username='{username}');"
        "u.is_staff = u.is_superuser = True; u.save()",
    )
    return manage("api_token", username)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(workers: int = 2):
    """gunicorn serving the project on the bench database; yields (host, port)."""
    port = _free_port()
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=bench_env(),
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _ = request("127.0.0.1", port, "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        process.wait(timeout=15)


def request(host, port, path, headers=None, conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, body
    finally:
        if own:
            conn.close()


def load(host, port, path, *, headers=None, requests=600, concurrency=4, warmup=30):
    """Send `requests` GETs over `concurrency` keep-alive connections; return the figures."""
    for _ in range(warmup):
        status, body = request(host, port, path, headers)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {body[:200]!r}")
    latencies = []
    errors = []
    lock = threading.Lock()
    per_worker = requests // concurrency

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=30)
        mine = []
        for _ in range(per_worker):
            started = time.perf_counter()
            status, _ = request(host, port, path, headers, conn=conn)
            mine.append(time.perf_counter() - started)
            if status != 200:
                errors.append(status)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} requests to {path} failed: {sorted(set(errors))}")
    return figures(latencies, elapsed)


def figures(latencies, elapsed=None):
    ordered = sorted(latencies)
    result = {
        "n": len(ordered),
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[max(int(len(ordered) * 0.95) - 1, 0)] * 1000,
    }
    if elapsed:
        result["rps"] = len(ordered) / elapsed
    return result


def print_figures(name, result, floor=None):
    line = f"{name:<44} p50 {result['p50_ms']:8.2f} ms   p95 {result['p95_ms']:8.2f} ms"
    if "rps" in result:
        line += f"   {result['rps']:8.1f} req/s"
    if floor:
        line += f"   p50 {result['p50_ms'] / floor['p50_ms']:.2f}x floor"
    print(line, flush=True)


FLOOR_PATH = "/api/v1/auth/me/"


def measure_floor(host, port, token, **kwargs):
    """The trivial authenticated JSON endpoint every other figure is compared with."""
    return load(host, port, FLOOR_PATH, headers={"Authorization": f"Token {token}"}, **kwargs)


def setup_django():
    """Use the bench database from this process too (to seed data and time in-process)."""
    os.environ.update(bench_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def session_cookie(username: str) -> str:
    """A logged-in session for `username`, as the browser would hold it (needs setup_django)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.module_loading import import_string

    from accounts.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The backend that logs people in: the first one that can load a user (django-axes
    # comes first, and only refuses locked-out logins).
    session[BACKEND_SESSION_KEY] = next(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if hasattr(import_string(path), "get_user")
    )
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def timed(func, *, repeat: int) -> dict:
    """Call `func` `repeat` times in this process; p50/p95 of the calls."""
    latencies = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        latencies.append(time.perf_counter() - started)
    return figures(latencies)


def interleaved(host, port, token, path, headers, *, label, rounds=5):
    """The view and the floor take turns over `rounds` rounds (this machine's speed drifts
    within a run); the ratio is the median of the rounds' ratios, with its range."""
    taken = [
        (
            measure_floor(host, port, token, requests=200, concurrency=2, warmup=5),
            load(host, port, path, headers=headers, requests=200, concurrency=2, warmup=5),
        )
        for _ in range(rounds)
    ]
    ratios = sorted(view["p50_ms"] / floor["p50_ms"] for floor, view in taken)
    views = [view for _, view in taken]
    merged = {
        "p50_ms": sorted(v["p50_ms"] for v in views)[len(views) // 2],
        "p95_ms": sorted(v["p95_ms"] for v in views)[len(views) // 2],
    }
    print_figures(f"{label}: GET {path}", merged)
    print(
        f"{'':<44} p50 {ratios[len(ratios) // 2]:.2f}x the floor (median of {rounds}"
        f" interleaved rounds; {ratios[0]:.2f}x to {ratios[-1]:.2f}x)",
        flush=True,
    )
