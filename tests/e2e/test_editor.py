"""Browser tests of the page editor: the link picker by keyboard, "did you mean" for broken
links, drafts that survive a reload, the change summary in the history, images."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from handbook.models import Page
from handbook.tests.factories import MembershipFactory, TeamFactory, make_page
from handbook.tests.matrix_rows import PNG_PIXEL

pytestmark = pytest.mark.browser

PROCESSES = (
    "# Delivery processes\n\n## Planning\n\nWe plan on Mondays.\n\n"
    + "Filler paragraph to push the next section below the fold.\n\n" * 30
    + "## Support rotation\n\nOne engineer answers support questions each week.\n"
)


@pytest.fixture
def delivery(logged_in_page, live_server):
    """A member of Delivery, logged in, with its index and processes pages and a guide of
    another folder."""
    team = TeamFactory(name="Delivery", slug="delivery")
    make_page("eng/delivery/index", "# Delivery\n\nWelcome.\n", title="Delivery", team=team)
    make_page("eng/delivery/processes", PROCESSES, title="Delivery processes", team=team)
    make_page("eng/guides/writing", "# Writing guide\n", title="Writing guide")
    page = logged_in_page(username="dana.reyes", display_name="Dana Reyes")
    MembershipFactory(team=team, user=User.objects.get(username="dana.reyes"))
    return page


def _loaded_width(image) -> int:
    """The image's width once the browser has loaded it (0: it could not be shown)."""
    return image.evaluate(
        """(img) => img.complete ? img.naturalWidth : new Promise((done) => {
            img.addEventListener("load", () => done(img.naturalWidth));
            img.addEventListener("error", () => done(0));
        })"""
    )


def _at_the_end(page):
    editor = page.get_by_label("Markdown")
    editor.focus()
    page.keyboard.press("Control+End")
    return editor


def test_the_link_picker_inserts_a_relative_link_that_resolves(delivery, live_server):
    page = delivery
    page.goto(f"{live_server.url}/handbook/-/edit/eng/delivery/index")
    editor = _at_the_end(page)
    page.keyboard.type("\nWho answers: [[")

    # "[[" opens the picker with the focus in its search box.
    picker = page.get_by_role("combobox", name="Link to")
    expect(picker).to_be_focused()
    page.keyboard.type("support rot")
    options = page.get_by_role("listbox", name="Pages and sections").get_by_role("option")
    expect(options.first).to_contain_text("Support rotation")
    expect(options.first).to_contain_text("processes.md#support-rotation")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(picker).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Enter")

    # The brackets typed became the link; the focus is back in the text, after it.
    expect(editor).to_be_focused()
    expect(editor).to_have_value(
        re.compile(r"Who answers: \[Support rotation\]\(processes\.md#support-rotation\)$")
    )
    expect(page.get_by_role("combobox", name="Link to")).to_be_hidden()
    page.keyboard.type(".")
    preview_link = page.locator("#preview").get_by_role("link", name="Support rotation")
    expect(preview_link).to_have_attribute(
        "href", "/handbook/eng/delivery/processes#support-rotation"
    )

    # A change summary goes with the save into the history.
    page.get_by_label("Change summary").fill("Point to the support rotation")
    page.get_by_role("button", name="Save page").click()
    expect(page).to_have_url(f"{live_server.url}/handbook/eng/delivery/index")
    link = page.locator(".markdown-body").get_by_role("link", name="Support rotation")
    expect(link).not_to_have_class(re.compile(r"\bbroken-link\b"))
    link.click()
    expect(page).to_have_url(f"{live_server.url}/handbook/eng/delivery/processes#support-rotation")
    heading = page.get_by_role("heading", name=re.compile(r"^Support rotation"), level=2)
    expect(heading).to_be_in_viewport()

    page.goto(f"{live_server.url}/handbook/-/history/eng/delivery/index")
    rows = page.locator("#revisions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Point to the support rotation")
    expect(rows.first).to_contain_text("Dana Reyes")


def test_the_link_picker_by_button_and_shortcut_links_a_page_of_another_folder(
    delivery, live_server
):
    page = delivery
    page.goto(f"{live_server.url}/handbook/-/edit/eng/delivery/index")
    editor = _at_the_end(page)
    page.keyboard.type("\nRead the guide")
    # The selected words become the link's text.
    for _ in range(len("the guide")):
        page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Control+Shift+L")
    picker = page.get_by_role("combobox", name="Link to")
    expect(picker).to_be_focused()
    page.keyboard.type("writing")
    options = page.get_by_role("listbox", name="Pages and sections").get_by_role("option")
    expect(options.first).to_contain_text("../guides/writing.md")
    page.keyboard.press("Enter")
    expect(editor).to_have_value(re.compile(r"Read \[the guide\]\(\.\./guides/writing\.md\)$"))

    # Escape goes back to the text and inserts nothing; the button opens the picker too.
    page.get_by_role("button", name="Link to a page…").click()
    expect(picker).to_be_focused()
    page.keyboard.type("delivery")
    expect(options.first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(picker).to_have_attribute("aria-activedescendant", "link-picker-option-1")
    page.keyboard.press("Escape")
    expect(picker).to_be_hidden()
    expect(editor).to_be_focused()
    expect(editor).to_have_value(re.compile(r"Read \[the guide\]\(\.\./guides/writing\.md\)$"))


def test_a_broken_link_shows_its_suggestion_and_takes_it(delivery, live_server):
    page = delivery
    page.goto(f"{live_server.url}/handbook/-/edit/eng/delivery/index")
    editor = _at_the_end(page)
    page.keyboard.type("\nSee [how we work](processes).\n")

    check = page.locator("#preview .link-check")
    expect(check).to_contain_text("processes leads nowhere. Did you mean processes.md?")
    use = check.get_by_role("button", name="Use processes.md")
    use.focus()
    page.keyboard.press("Enter")
    expect(editor).to_have_value(re.compile(r"See \[how we work\]\(processes\.md\)\.\n$"))
    expect(page.locator("#preview .link-check")).to_have_count(0)
    link = page.locator("#preview").get_by_role("link", name="how we work")
    expect(link).to_have_attribute("href", "/handbook/eng/delivery/processes")


def test_a_broken_link_on_a_saved_page_shows_its_suggestion_to_editors(delivery, live_server):
    make_page(
        "eng/delivery/start",
        "# Start\n\nSee [how we work](processes).\n",
        title="Start",
        team=Page.objects.get(path="eng/delivery/index").team,
    )
    page = delivery
    page.goto(f"{live_server.url}/handbook/eng/delivery/start")
    banner = page.locator(".banner-broken")
    expect(banner).to_contain_text("processes: did you mean processes.md")
    banner.get_by_role("link", name="eng/delivery/processes").click()
    expect(page).to_have_url(f"{live_server.url}/handbook/eng/delivery/processes")


def test_a_draft_survives_a_reload_until_it_is_discarded(delivery, live_server):
    page = delivery
    page.goto(f"{live_server.url}/handbook/-/edit/eng/delivery/index")
    editor = _at_the_end(page)
    page.keyboard.type("\nHalf a thought, not saved yet.")
    page.get_by_label("Change summary").fill("Add a thought")
    expect(page.locator("#editor-status")).to_contain_text("Draft saved at", timeout=10_000)

    page.reload()
    notice = page.locator(".banner-draft")
    expect(notice).to_contain_text("You have an unsaved draft from")
    expect(editor).to_have_value(re.compile(r"Half a thought, not saved yet\.$"))
    expect(page.get_by_label("Change summary")).to_have_value("Add a thought")
    # The saved page itself is unchanged.
    assert "Half a thought" not in Page.objects.get(path="eng/delivery/index").markdown

    # By keyboard: the discard button is a stop in the tab order.
    discard = notice.get_by_role("button", name="Discard draft")
    discard.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Draft discarded.")).to_be_visible()
    expect(page.locator(".banner-draft")).to_have_count(0)
    expect(editor).to_have_value("# Delivery\n\nWelcome.\n")
    page.reload()
    expect(page.locator(".banner-draft")).to_have_count(0)


def test_an_uploaded_image_is_linked_and_shown_in_the_preview(delivery, live_server):
    page = delivery
    page.goto(f"{live_server.url}/handbook/-/edit/eng/delivery/index")
    editor = _at_the_end(page)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Insert image…").click()
    chooser.value.set_files(
        files=[{"name": "flow.png", "mimeType": "image/png", "buffer": PNG_PIXEL}]
    )
    expect(editor).to_have_value(re.compile(r"!\[flow\]\(/handbook/-/images/\d+\)$"))
    expect(page.locator("#editor-status")).to_contain_text("Image uploaded")
    image = page.locator("#preview img[alt=flow]")
    expect(image).to_be_visible()
    assert _loaded_width(image) == 1

    # Not an image: said next to the button, nothing inserted.
    before = editor.input_value()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Insert image…").click()
    chooser.value.set_files(
        files=[{"name": "notes.png", "mimeType": "image/png", "buffer": b"just text"}]
    )
    expect(page.locator("#editor-status")).to_contain_text("Not an image the handbook can show")
    assert editor.input_value() == before


def test_a_pasted_image_is_uploaded_and_linked_where_the_caret_is(delivery, live_server):
    page = delivery
    page.goto(f"{live_server.url}/handbook/-/edit/eng/delivery/index")
    editor = _at_the_end(page)
    page.keyboard.type("\nThe flow: ")
    editor.evaluate(
        """(textarea, bytes) => {
            const data = new DataTransfer();
            data.items.add(new File([new Uint8Array(bytes)], "shot.png", { type: "image/png" }));
            const paste = { clipboardData: data, bubbles: true, cancelable: true };
            textarea.dispatchEvent(new ClipboardEvent("paste", paste));
        }""",
        list(PNG_PIXEL),
    )
    expect(editor).to_have_value(re.compile(r"The flow: !\[shot\]\(/handbook/-/images/\d+\)$"))
    assert _loaded_width(page.locator("#preview img[alt=shot]")) == 1


def test_enter_in_a_field_saves_a_restored_draft_and_does_not_discard_it(delivery, live_server):
    page = delivery
    page.goto(f"{live_server.url}/handbook/-/edit/eng/delivery/index")
    _at_the_end(page)
    page.keyboard.type("\nKept by Enter.")
    expect(page.locator("#editor-status")).to_contain_text("Draft saved at", timeout=10_000)
    page.reload()
    expect(page.locator(".banner-draft")).to_be_visible()
    page.get_by_label("Title").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/handbook/eng/delivery/index")
    expect(page.locator(".markdown-body")).to_contain_text("Kept by Enter.")
    page.goto(f"{live_server.url}/handbook/-/edit/eng/delivery/index")
    expect(page.locator(".banner-draft")).to_have_count(0)
