"""`make smoke-embedded`: `make run`'s embedded mode, started and checked end to end.

It starts scripts/run-embedded (exactly what `make run` runs) on a fresh temporary var/
directory (BOSUN_VAR_DIR) and a free port (BOSUN_ADDR), then checks, as a person would:

1. /healthz answers, and the development server says it uses config.settings.local;
2. the demo admin logs in through the HTML login form;
3. a webhook channel, added through the admin's add form, points at a receiver run here;
4. `manage.py notify_test` sends a message through notifications' notify(): the embedded
   worker posts it to the receiver exactly once and the delivery row (read from the temporary
   SQLite file) is marked sent;
5. the embedded beat (django-celery-beat's scheduler on SQLite) runs the notification sweep;
6. run-embedded, sent SIGTERM, stops its worker and server: no process of it is left.

The embedded run gets a clean environment: what the caller has set for the tests
(DJANGO_SETTINGS_MODULE, DATABASE_URL, CELERY_BROKER_URL, CACHE_URL, ...) does not reach it,
so it runs with config.settings.local and its own defaults (SQLite and the filesystem broker).
The only settings passed are BOSUN_VAR_DIR, BOSUN_ADDR and NOTIFY_SWEEP_SECONDS (2 s, so that
beat's sweep runs within the test). A .env at the top of the checkout is read by the settings
as in `make run`; one that sets DATABASE_URL, CELERY_BROKER_URL, CACHE_URL or BOSUN_VAR_DIR
stops the test before it starts anything. Needs no PostgreSQL or Redis. Any failure or timeout
prints the logs; the temporary directory is kept then, and removed after a success.

    .venv/bin/python scripts/smoke_embedded.py
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import RecordingWebhookServer  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
# The only variables the embedded run inherits; everything else comes from its own defaults.
INHERITED = ("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TERM")
# What the embedded mode writes under the checkout's var/ when BOSUN_VAR_DIR is ignored.
DEVELOPER_VAR_FILES = ("bosun.sqlite3", "celerybeat-schedule", "celery")
USERNAME, PASSWORD = "admin", "bosun-demo"  # handbook/demo.py, printed by `make run`
# Settings read from the checkout's .env (by config/settings/base.py) that would take the run
# outside its temporary directory, to a database, broker or cache someone uses.
OUTSIDE = ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "BOSUN_VAR_DIR")

STARTUP_TIMEOUT = 45  # migrating a fresh SQLite file and loading the demo take about 8 s
DELIVERY_TIMEOUT = 20
STOP_TIMEOUT = 20


class SmokeFailure(Exception):
    pass


def wait_for(what, predicate, *, timeout, process=None, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        if process is not None and process.poll() is not None:
            raise SmokeFailure(f"run-embedded exited ({process.returncode}) before {what}")
        time.sleep(interval)
    raise SmokeFailure(f"timed out after {timeout} s waiting for {what}")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def csrf_token(response):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    if not match:
        raise SmokeFailure(f"no CSRF token in {response.url} ({response.status_code})")
    return match.group(1)


def dotenv_names():
    """The names a .env at the top of the checkout sets (the settings read it too)."""
    path = ROOT / ".env"
    if not path.exists():
        return []
    lines = (line.strip().removeprefix("export ") for line in path.read_text().splitlines())
    return [line.split("=", 1)[0].strip() for line in lines if "=" in line and line[0] != "#"]


def session_processes(sid):
    """Live processes (not zombies) of the session run-embedded was started in."""
    ps = subprocess.run(
        ["ps", "-e", "-o", "pid=,sid=,stat=,args="], capture_output=True, text=True, check=True
    )
    rows = [line.split(None, 3) for line in ps.stdout.splitlines()]
    return [row for row in rows if len(row) >= 3 and int(row[1]) == sid and "Z" not in row[2]]


class Smoke:
    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="bosun-smoke-"))
        self.var = self.tmp / "var"
        self.log_path = self.tmp / "run-embedded.log"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {name: os.environ[name] for name in INHERITED if name in os.environ}
        self.env.update(
            BOSUN_VAR_DIR=str(self.var),
            BOSUN_ADDR=f"127.0.0.1:{self.port}",
            NOTIFY_SWEEP_SECONDS="2",
            PYTHONUNBUFFERED="1",
        )
        self.process = None
        self.log_file = None
        self.started = time.monotonic()
        self.receiver = RecordingWebhookServer()
        self.http = requests.Session()
        self.other_output = []
        self.developer_var_before = {
            name for name in DEVELOPER_VAR_FILES if (ROOT / "var" / name).exists()
        }

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def step(self, text):
        print(f"[{time.monotonic() - self.started:5.1f} s] {text}", flush=True)

    def run(self):
        names = dotenv_names()
        if outside := [name for name in names if name in OUTSIDE]:
            raise SmokeFailure(
                f"the checkout's .env sets {', '.join(outside)}: the embedded run would use it "
                "instead of its temporary directory; move .env away to run this test"
            )
        if names:
            self.step(f"note: the checkout's .env sets {', '.join(names)} for this run too")
        self.receiver.start()
        self.start()
        self.login()
        channel = self.add_channel()
        key = self.notify(channel)
        self.check_delivery(key)
        self.check_beat()
        self.stop()
        self.check_developer_var()
        self.step("embedded mode OK")

    def start(self):
        self.step(f"starting scripts/run-embedded on {self.base}, var in {self.var}")
        self.log_file = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [str(ROOT / "scripts" / "run-embedded")],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own session: every process it starts can be found
        )

        def healthy():
            try:
                response = self.http.get(f"{self.base}/healthz", timeout=2)
            except requests.RequestException:
                return False
            return response.status_code == 200 and response.json() == {"status": "ok"}

        wait_for("/healthz", healthy, timeout=STARTUP_TIMEOUT, process=self.process)
        if "using settings 'config.settings.local'" not in self.log():
            raise SmokeFailure("the development server does not use config.settings.local")
        if not (self.var / "bosun.sqlite3").is_file() or not (self.var / "celery").is_dir():
            raise SmokeFailure(f"no SQLite file and broker folders in {self.var} (BOSUN_VAR_DIR)")
        self.check_developer_var()
        self.step(f"/healthz answers; config.settings.local, with SQLite and broker in {self.var}")

    def login(self):
        form = self.http.get(f"{self.base}/login/", timeout=10)
        response = self.http.post(
            f"{self.base}/login/",
            data={
                "csrfmiddlewaretoken": csrf_token(form),
                "username": USERNAME,
                "password": PASSWORD,
                "next": "",
            },
            allow_redirects=False,
            timeout=10,
        )
        if response.status_code != 302:
            raise SmokeFailure(f"the login form answered {response.status_code}, not a redirect")
        home = self.http.get(f"{self.base}/", timeout=10)
        if home.status_code != 200 or f'title="Log out {USERNAME}"' not in home.text:
            raise SmokeFailure(f"not logged in after the login form: / answered {home.status_code}")
        self.step(f"logged in as {USERNAME} through the login form")

    def add_channel(self):
        name = f"Smoke receiver {uuid.uuid4().hex[:8]}"
        url = f"{self.base}/admin/notifications/channel/add/"
        form = self.http.get(url, timeout=10)
        response = self.http.post(
            url,
            data={
                "csrfmiddlewaretoken": csrf_token(form),
                "name": name,
                "kind": "webhook",
                "target": self.receiver.url,
                "team": "",
                "is_active": "on",
                "_save": "Save",
            },
            allow_redirects=False,
            timeout=10,
        )
        if response.status_code != 302:
            errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text)
            raise SmokeFailure(f"the channel form answered {response.status_code}: {errors}")
        self.step(f"added the webhook channel “{name}” through the admin")
        return name

    def notify(self, channel):
        key = f"smoke:{uuid.uuid4()}"
        command = [str(PYTHON), "manage.py", "notify_test", "--channel", channel, "--key", key]
        result = subprocess.run(
            [*command, "--text", "Smoke test"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        self.other_output.append(f"$ {' '.join(command)}\n{result.stdout}{result.stderr}")
        if result.returncode != 0:
            raise SmokeFailure(f"manage.py notify_test failed ({result.returncode})")
        self.step(f"manage.py notify_test: {result.stdout.strip()}")
        return key

    def delivery(self, key):
        database = self.var / "bosun.sqlite3"
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as db:
            return db.execute(
                "SELECT status, attempts, sent_at FROM notifications_delivery WHERE key = ?",
                (key,),
            ).fetchone()

    def check_delivery(self, key):
        wait_for(
            "the receiver to get the message and the delivery to be marked sent",
            lambda: self.receiver.requests and (self.delivery(key) or ("",))[0] == "sent",
            timeout=DELIVERY_TIMEOUT,
            process=self.process,
        )
        time.sleep(1)  # a repeat, if any, would come now
        requests_seen = list(self.receiver.requests)
        if len(requests_seen) != 1:
            raise SmokeFailure(f"the receiver got {len(requests_seen)} POSTs, not exactly one")
        (received,) = requests_seen
        if received["json"] != {"key": key, "text": "Smoke test"}:
            raise SmokeFailure(f"the receiver got {received['json']!r}")
        if received["headers"].get("Idempotency-Key") != key:
            raise SmokeFailure("the POST has no Idempotency-Key header with the delivery key")
        status, attempts, sent_at = self.delivery(key)
        if (status, attempts) != ("sent", 1) or not sent_at:
            raise SmokeFailure(f"the delivery is {status}, {attempts} attempts, sent at {sent_at}")
        self.step("the worker posted the message once; the delivery is marked sent")

    def check_beat(self):
        database = self.var / "bosun.sqlite3"

        def scheduled():
            with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as db:
                return db.execute(
                    "SELECT 1 FROM django_celery_beat_periodictask WHERE name = ?",
                    ("notifications-send-due",),
                ).fetchone()

        wait_for("beat to store its schedule", scheduled, timeout=10, process=self.process)
        wait_for(
            "the worker to run beat's notification sweep",
            lambda: re.search(r"deliveries_send_due\[[^]]+\] succeeded", self.log()),
            timeout=15,
            process=self.process,
        )
        self.step("beat stored its schedule in SQLite and its sweep ran on the worker")

    def stop(self):
        process, sid = self.process, self.process.pid
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            raise SmokeFailure(f"run-embedded did not stop within {STOP_TIMEOUT} s") from exc
        try:
            wait_for("its processes to end", lambda: not session_processes(sid), timeout=10)
        except SmokeFailure as exc:
            left = "\n".join(" ".join(row) for row in session_processes(sid))
            raise SmokeFailure(f"processes left after run-embedded stopped:\n{left}") from exc
        self.step(f"run-embedded stopped ({process.returncode}); no process of it is left")

    def check_developer_var(self):
        created = [
            name
            for name in DEVELOPER_VAR_FILES
            if name not in self.developer_var_before and (ROOT / "var" / name).exists()
        ]
        if created:
            raise SmokeFailure(f"the run wrote to the checkout's var/: {created}")

    def clean_up(self):
        """Whatever happened: nothing of the run keeps running."""
        if self.receiver.thread.is_alive():
            self.receiver.stop()
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
        if session_processes(self.process.pid):
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log_file.close()


def main():
    smoke = Smoke()
    try:
        smoke.run()
    except Exception as exc:  # noqa: BLE001 - any failed check or error: report it with the logs
        smoke.clean_up()
        print(f"\nEMBEDDED SMOKE TEST FAILED: {type(exc).__name__}: {exc}\n", file=sys.stderr)
        print("----- run-embedded output -----", file=sys.stderr)
        print(smoke.log(), file=sys.stderr)
        for output in smoke.other_output:
            print(f"-----\n{output}", file=sys.stderr)
        print(f"----- kept {smoke.tmp} -----", file=sys.stderr)
        return 1
    except BaseException:
        smoke.clean_up()
        raise
    smoke.clean_up()
    shutil.rmtree(smoke.tmp)
    print(f"embedded smoke test passed in {time.monotonic() - smoke.started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
