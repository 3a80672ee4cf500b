"""Database connections stay bounded under parallel requests: the threaded server takes them
from psycopg's pool, and a request that cannot get one in time is answered 503, never 500."""

import os
import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import requests
from rest_framework.authtoken.models import Token

from accounts.tests.factories import UserFactory
from handbook.tests.factories import make_page
from tests.support import _database_url, wait_for
from tests.test_health import _free_port

ROOT = Path(__file__).resolve().parent.parent
POOL_SIZE = 5


APP_NAME = "bosun-pool-test"


class ConnectionSampler(threading.Thread):
    """Counts, every few milliseconds, the connections the server holds (by their
    application_name), on a connection of its own."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = 0
        self.stop = threading.Event()
        self.sampling = threading.Event()

    def run(self):
        url = _database_url().replace("postgres://", "postgresql://")
        # Autocommit: pg_stat_activity is a snapshot that stays fixed inside a transaction.
        with psycopg.connect(url, autocommit=True) as conn:
            while not self.stop.is_set():
                count = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                    [APP_NAME],
                ).fetchone()[0]
                self.peak = max(self.peak, count)
                self.sampling.set()
                self.stop.wait(0.01)


@pytest.fixture
def pooled_server(tmp_path):
    """gunicorn with 50 threads in one process (every request on a thread of its own, as the
    threaded development server does, but with a listen backlog that takes 50 connections at
    once: runserver's is 10) on the test database, with a pool of 5."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "DB_POOL_MAX_SIZE": str(POOL_SIZE),
        "DB_POOL_TIMEOUT": "0.3",
        "PGAPPNAME": APP_NAME,  # libpq names the server's connections, for the sampler
    }
    log = (tmp_path / "server.log").open("wb")  # a file: a full pipe would block the server
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--threads=50",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def up():
        try:
            return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok
        except requests.RequestException:
            return False

    try:
        wait_for(up, timeout=60, message="runserver to answer")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
        output = (tmp_path / "server.log").read_text()
        assert "Internal Server Error" not in output, output


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_requests_get_200_or_503_and_never_exceed_the_pool(pooled_server):
    token = Token.objects.create(user=UserFactory()).key
    for number in range(30):
        make_page(f"eng/page-{number}", f"# Page {number}\n\nAbout deploys and rotas.\n")
    url = f"{pooled_server}/api/v1/pages/?q=deploys"
    sampler = ConnectionSampler()
    sampler.start()
    assert sampler.sampling.wait(timeout=10)

    def fetch(_):
        response = requests.get(url, headers={"Authorization": f"Token {token}"}, timeout=30)
        return response.status_code, (response.headers.get("Retry-After"), response.content)

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(fetch, range(50)))
    sampler.stop.set()
    sampler.join()

    statuses = Counter(status for status, _ in answers)
    assert set(statuses) <= {200, 503}, statuses
    assert statuses[200] > 0
    for status, detail in answers:
        if status == 503:
            retry_after, body = detail
            assert retry_after == "5"
            assert b"no database connection was free" in body
    # The server held connections, and never more than its pool.
    assert 0 < sampler.peak <= POOL_SIZE
