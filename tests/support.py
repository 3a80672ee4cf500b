"""Real test peers: an HTTP server that records webhook calls, a Celery worker process, and
the fields of a rendered form (to submit it as a browser would)."""

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


class RecordingWebhookServer:
    """Answers POSTs (and PUTs, as Mattermost's REST API takes them) on 127.0.0.1 with scripted
    status codes and records every request: its method, path, headers and JSON body.

    `statuses` are consumed one per request (200 once empty); `status_for(method, path)`, when
    set, decides instead (return None to fall back to `statuses`)."""

    def __init__(self):
        self.requests = []
        self.statuses = []  # consumed one per request; 200 once empty
        self.status_for = None
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                with server._lock:
                    status = None
                    if server.status_for is not None:
                        status = server.status_for(self.command, self.path)
                    if status is None:
                        status = server.statuses.pop(0) if server.statuses else 200
                    server.requests.append(
                        {
                            "method": self.command,
                            "path": self.path,
                            "headers": dict(self.headers),
                            "json": json.loads(body or b"null"),
                            "status": status,
                            "at": time.time(),
                        }
                    )
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"try again later")

            do_POST = _record
            do_PUT = _record

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self):
        host, port = self.httpd.server_address
        return f"http://{host}:{port}"

    @property
    def url(self):
        host, port = self.httpd.server_address
        return f"http://{host}:{port}/hooks/test"

    def start(self):
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def wait_for(predicate, *, timeout=20.0, interval=0.1, message="condition"):
    """Poll a real process's effect (a worker's write) until it shows or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {message}")


def _database_url():
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{connection.settings_dict['NAME']}"


@contextlib.contextmanager
def running_celery_worker(*, purge=True, queues=None, env=None, log_name="test-worker.log"):
    """Start `celery worker` on the test database (already created) and stop it afterwards.

    `purge=False` keeps the messages already waiting in the broker (a worker coming back after
    an outage); `queues` names the queues it consumes (default: Celery's own); `env` adds
    settings from the environment; `log_name` is its log under var/ (two workers, two logs)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "NOTIFY_RETRY_BASE_SECONDS": str(settings.NOTIFY_RETRY_BASE_SECONDS),
        **(env or {}),
    }
    (ROOT / "var").mkdir(exist_ok=True)
    from config.celery import app

    if purge:
        app.control.purge()  # tasks left by an earlier, interrupted run
    log_path = ROOT / "var" / log_name
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
    ]
    if queues:
        command.append(f"--queues={','.join(queues)}")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(
            lambda: "ready." in log_path.read_text() or process.poll() is not None,
            timeout=60,
            message="the Celery worker to start",
        )
        if process.poll() is not None:
            raise RuntimeError(log_path.read_text())
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


class _FormFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: dict[str, str | list[str]] = {}
        self._select: str | None = None
        self._multiple = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if attrs.get("type") in ("checkbox", "radio") else ""
            self.fields[name] = attrs["value"] if attrs.get("value") is not None else default
        elif tag == "select" and name:
            self._select, self._multiple = name, "multiple" in attrs
            self.fields.setdefault(name, [] if self._multiple else "")
        elif tag == "option" and self._select and "selected" in attrs:
            if self._multiple:
                self.fields[self._select].append(attrs.get("value", ""))
            else:
                self.fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data.removeprefix("\n")


def form_fields(html: str) -> dict[str, str]:
    """What a browser would submit from the page's form fields, as they are rendered (the
    selected option, or a list of them for a multiple select; checked boxes; textarea text);
    the caller changes what a person would."""
    parser = _FormFields()
    parser.feed(html)
    return parser.fields


def resubmit_form(client, url, change):
    """Open the page at `url`, let `change` edit its form's fields as a person would, and save
    (the admin's plain Save: not "save and add another" or "save and continue")."""
    fields = form_fields(client.get(url).content.decode())
    change(fields)
    fields.pop("_addanother", None)
    fields.pop("_continue", None)
    return client.post(url, fields)


def person_with_duties(*, now, username="ines", display_name="Inês Duarte"):
    """A person with something in every section of their page: a lead of Delivery on its
    weekly rota (every other week, from the Monday of `now`'s week), assigned a ticket in
    progress, one to do and one done, and the release manager of the second release of a
    monthly train (third Thursdays, from `now`'s day). Returns the objects by name."""
    from datetime import time, timedelta

    from accounts.tests.factories import UserFactory
    from handbook.models import Membership
    from handbook.tests.factories import MembershipFactory, TeamFactory
    from releases import services as release_services
    from releases.tests.factories import make_train
    from rotations.tests.factories import make_rotation, role
    from tickets import services as ticket_services
    from tickets.tests.factories import column, make_board

    person = UserFactory(
        username=username,
        display_name=display_name,
        timezone="Europe/Lisbon",
        email=f"{username}@x.test",
    )
    partner = UserFactory(username=f"{username}-partner", display_name="Kwame Mensah")
    team = TeamFactory(slug="delivery", name="Delivery", channel_url="https://chat.test/delivery")
    MembershipFactory(team=team, user=person, role=Membership.Role.LEAD)
    monday = now.date() - timedelta(days=now.weekday())
    rotation = make_rotation(
        team=team,
        name="Delivery support",
        roles=[role("Primary", [person, partner], start=monday, at=time(9))],
    )
    board = make_board(team=team, name="Delivery queue", key_prefix="DEL")
    tickets = [
        ticket_services.ticket_create(board=board, column=column(board, name), **fields)
        for name, fields in (
            ("In progress", {"title": "Flaky nightly build"}),
            ("To do", {"title": "Slow admin console", "severity": "S2"}),
            ("Done", {"title": "Old finished work"}),
        )
    ]
    for ticket in tickets:
        ticket_services.ticket_update(ticket=ticket, assignee=person)
    train = make_train(team=team, name="Monthly self-managed", start=now.date())
    releases = release_services.train_plan(
        train=train, since=now.date(), until=now.date() + timedelta(days=100), now=now
    )
    managed = release_services.release_update(release=releases[1], manager=person, now=now)
    return {
        "person": person,
        "team": team,
        "rotation": rotation,
        "tickets": tickets,
        "release": managed,
    }
