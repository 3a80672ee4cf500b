import shutil
import socket
import subprocess

import pytest

from tests.support import wait_for

pytestmark = pytest.mark.django_db


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis():
    """A Redis server of this test's own, so that stopping it disturbs nothing else."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is needed for this test"
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )

    def accepting():
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            return False

    wait_for(accepting, timeout=10, message="redis-server to accept connections")
    yield process, f"redis://127.0.0.1:{port}/0"
    process.kill()
    process.wait()


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_with_database_and_broker_up(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == ["broker", "database"]


def test_readyz_names_the_broker_when_redis_is_stopped(client, settings, own_redis):
    process, url = own_redis
    settings.CELERY_BROKER_URL = url
    assert client.get("/readyz").status_code == 200

    process.terminate()
    process.wait(timeout=10)

    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert list(body["failing"]) == ["broker"]


def test_metrics_need_staff_or_the_scrape_token(client, user, admin_user, settings):
    settings.METRICS_TOKEN = "scrape-secret"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    client.force_login(user)
    assert client.get("/metrics").status_code == 401

    scraped = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret"})
    assert scraped.status_code == 200
    assert b"django_http_requests_total_by_method_total" in scraped.content

    client.force_login(admin_user)
    assert client.get("/metrics").status_code == 200


def test_metrics_without_a_configured_token_refuse_any_bearer(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 401
