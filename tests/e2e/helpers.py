"""What the browser tests do alike."""


def login(page, live_server, username, password="correct-horse"):
    """Log in through the login page, as a person does, and land on the home page."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
