"""What the browser tests do alike."""


def login(page, live_server, username, password="correct-horse"):
    """Log in through the login page, as a person does, and land on the home page."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")


def htmx_settled(page):
    """Wait until htmx has swapped and settled every answer, so that the new content's forms
    are htmx's again: a key pressed on a button swapped in a moment ago would otherwise post
    its form as a plain page, as it does without JavaScript."""
    busy = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
    page.wait_for_function(f"() => !document.querySelector('{busy}')")
