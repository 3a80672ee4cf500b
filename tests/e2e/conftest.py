"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os

import pytest

from accounts.tests.factories import UserFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def logged_in_page(page, live_server, transactional_db):
    """A browser page logged in through the real login form."""

    def login(username="browser.user", password="correct-horse", **extra):
        UserFactory(username=username, **extra)
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return login


# Every page a browser test opens is checked against the Content-Security-Policy: a blocked
# script, style or image is reported by Chromium, and the test that met it fails.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `CSP violation on ${location.pathname}: ${event.violatedDirective} blocked ${event.blockedURI}`,
  );
});
"""


@pytest.fixture(autouse=True)
def csp_violations(page):
    found = []
    page.add_init_script(_REPORT_VIOLATIONS)

    def seen(message):
        text = message.text
        if "CSP violation" in text or "Content Security Policy" in text:
            found.append(text)

    page.on("console", seen)
    yield found
    assert not found, f"Content-Security-Policy violations: {found}"
