"""The editor's link picker and the "did you mean" of broken links."""

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from handbook import selectors
from handbook.pages import relative_href
from handbook.rendering import LinkRef
from handbook.selectors.links import (
    SUGGESTION_CUTOFF,
    _likeness,
    _most_alike,
    link_suggestions,
    link_targets,
)
from handbook.tests.factories import make_page

pytestmark = pytest.mark.django_db

PROCESSES = (
    "# Delivery processes\n\n## Support rotation\n\nWeekly.\n\n## Release planning\n\nMonthly.\n"
)


@pytest.fixture
def handbook_pages(team_member):
    _, team = team_member
    make_page("eng/delivery/processes", PROCESSES, title="Delivery processes", team=team)
    make_page("eng/delivery/index", "# Delivery\n", title="Delivery", team=team)
    make_page("eng/guides/index", "# Guides\n\n## Writing\n", title="Guides")
    return team


def test_relative_href_is_computed_from_the_linking_pages_folder():
    assert relative_href(from_path="eng/a/b", to_path="eng/c/index") == "../c/index.md"
    assert relative_href(from_path="eng/a/b", to_path="eng/a/c", anchor="x") == "c.md#x"
    assert relative_href(from_path="eng/a/b", to_path="eng/a/b", anchor="x") == "#x"
    assert relative_href(from_path="", to_path="eng/a/b") == "eng/a/b.md"


def test_the_picker_finds_pages_by_title_with_the_relative_link_to_write(handbook_pages):
    found = link_targets(query="guid", from_path="eng/delivery/processes")
    assert found[0].label == "Guides"
    assert found[0].href == "../guides/index.md"
    assert found[0].anchor == ""


def test_the_picker_finds_sections_by_their_heading(handbook_pages):
    found = link_targets(query="support rot", from_path="eng/guides/index")
    sections = [target for target in found if target.anchor]
    assert [(t.label, t.href) for t in sections] == [
        ("Support rotation", "../delivery/processes.md#support-rotation")
    ]


def test_page_hash_lists_the_sections_of_the_pages_matching(handbook_pages):
    found = link_targets(query="processes#", from_path="eng/delivery/index")
    assert [t.href for t in found] == [
        "processes.md#support-rotation",
        "processes.md#release-planning",
    ]
    found = link_targets(query="processes#plan", from_path="eng/delivery/index")
    assert [t.href for t in found] == ["processes.md#release-planning"]


def test_hash_alone_lists_the_edited_pages_own_sections(handbook_pages):
    found = link_targets(query="#", from_path="eng/delivery/processes")
    assert [t.href for t in found] == ["#support-rotation", "#release-planning"]


def test_the_picker_endpoint_answers_json_for_editors(member_client, handbook_pages):
    response = member_client.get(
        "/handbook/-/link-targets", {"q": "guides", "from_path": "eng/delivery/processes"}
    )
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first == {
        "label": "Guides",
        "detail": "eng/guides/index",
        "href": "../guides/index.md",
        "path": "eng/guides/index",
        "anchor": "",
    }
    assert response["Cache-Control"] == "private, no-store"


def test_the_picker_endpoint_refuses_bad_input_by_field(member_client, handbook_pages):
    response = member_client.get("/handbook/-/link-targets", {"q": "x" * 101})
    assert response.status_code == 400
    assert list(response.json()) == ["q"]


def test_the_picker_is_for_people_who_may_write_pages(client, handbook_pages):
    client.force_login(UserFactory(username="just.reading"))
    assert client.get("/handbook/-/link-targets", {"q": "guides"}).status_code == 403


# Pages by name are name_matches' steps (PostgreSQL): with 8 pages named "Part <n>" the
# first (names starting with it) finds the six looked for; with 2 it looks for words and then
# typos as well (the dictionary's words like "part", of the handbook's pages, then names
# starting with those and with those at a word start). SQLite matches in one query.
@pytest.mark.parametrize(("n_pages", "by_name_postgres"), [(2, 3), (8, 1)])
def test_the_picker_reads_a_bounded_number_of_queries(
    member_client, team_member, django_assert_num_queries, n_pages, by_name_postgres
):
    for number in range(n_pages):
        make_page(f"eng/p{number}", f"# P\n\n## Part {number}\n", title=f"Part {number}")
        make_page(f"eng/q{number}", f"# Q\n\n## Part {number}\n", title=f"Q {number}")
    member_client.get("/handbook/-/link-targets", {"q": "part"})
    by_name = by_name_postgres if connection.vendor == "postgresql" else 1
    # the person, their permissions (two), a membership (may they write pages?), pages by
    # name, pages by section
    with django_assert_num_queries(5 + by_name):
        member_client.get("/handbook/-/link-targets", {"q": "part"})


def _broken(href, target, anchor=""):
    return LinkRef(href, target, anchor, broken=True)


def test_a_link_to_a_folder_suggests_the_page_written_as_a_file(handbook_pages):
    # `processes` names a folder (processes/index), which does not exist; processes.md does.
    [(href, suggestion)] = link_suggestions(
        page_path="eng/delivery/index",
        links=[_broken("processes", "eng/delivery/processes/index")],
    )
    assert href == "processes"
    assert suggestion.href == "processes.md"


def test_a_folder_written_as_a_file_suggests_its_index(handbook_pages):
    [(_, suggestion)] = link_suggestions(
        page_path="eng/delivery/index", links=[_broken("../guides.md", "eng/guides")]
    )
    assert suggestion.href == "../guides/index.md"


def test_a_mistyped_name_suggests_the_most_alike_page(handbook_pages):
    [(_, suggestion)] = link_suggestions(
        page_path="eng/delivery/index",
        links=[
            _broken("proceses.md#support-rotation", "eng/delivery/proceses", "support-rotation")
        ],
    )
    assert suggestion.href == "processes.md#support-rotation"


def test_the_quick_bounds_skip_comparisons_but_never_change_the_suggestion():
    # Brute force, as the suggestion was found before the bounds: the first most alike path,
    # by likeness then shared folders, if alike enough.
    candidates = [
        f"eng/{folder}/{name}"
        for folder in ("guides", "guide", "runbooks", "oncall")
        for name in ("index", "release-train", "releases", "rota", "rotation", "holidays", "x")
    ]
    for wanted in (
        "eng/guides/relese-train",
        "eng/guide/rotaton",
        "eng/runbook/holidays",
        "eng/oncall/qqqqqq",
        "eng/guides/index",
    ):
        keyed = [(_likeness(wanted, existing), existing) for existing in candidates]
        top = max(keyed, key=lambda pair: pair[0])
        expected = top[1] if top[0][0] >= SUGGESTION_CUTOFF else None
        assert _most_alike(wanted, candidates) == expected, wanted


def test_a_missing_section_suggests_the_most_alike_heading(handbook_pages):
    [(_, suggestion)] = link_suggestions(
        page_path="eng/delivery/index",
        links=[_broken("processes.md#support", "eng/delivery/processes", "support")],
    )
    assert suggestion.href == "processes.md#support-rotation"


def test_nothing_alike_suggests_nothing(handbook_pages):
    assert link_suggestions(
        page_path="eng/delivery/index",
        links=[
            _broken("zebra-farm.md", "eng/delivery/zebra-farm"),
            _broken("../../../x.md", "../x"),
        ],
    ) == [("zebra-farm.md", None), ("../../../x.md", None)]


def test_the_preview_says_what_a_broken_link_probably_meant(member_client, handbook_pages):
    response = member_client.post(
        "/handbook/-/preview",
        {"path": "eng/delivery/index", "markdown": "See [our processes](processes)."},
    )
    html = response.content.decode()
    assert "<code>processes</code> leads nowhere." in html
    assert "Did you mean <code>processes.md</code>?" in html
    assert 'data-to="processes.md"' in html


def test_the_page_tells_editors_what_broken_links_meant(member_client, handbook_pages):
    from django.test import Client

    client = Client()
    make_page(
        "eng/delivery/start",
        "[processes](processes) and [gone](zebra-farm.md)",
        title="Start",
        team=handbook_pages,
    )
    html = member_client.get("/handbook/eng/delivery/start").content.decode()
    assert "2 broken links on this page" in html
    assert "did you mean <code>processes.md</code>" in html
    client.force_login(UserFactory(username="just.reading"))  # in no team: may not edit
    html = client.get("/handbook/eng/delivery/start").content.decode()
    assert "2 broken links on this page" in html
    assert "did you mean" not in html


def test_the_broken_links_page_has_a_did_you_mean_column(member_client, handbook_pages):
    make_page("eng/delivery/start", "[processes](processes)", title="Start", team=handbook_pages)
    html = member_client.get("/teams/delivery/broken-links/").content.decode()
    assert "Did you mean" in html
    assert "<td><code>processes.md</code></td>" in html
    described = selectors.broken_links_described(team=handbook_pages)
    assert [(link.href, link.suggestion.href) for link in described] == [
        ("processes", "processes.md")
    ]


def test_check_links_says_what_a_broken_link_probably_meant(handbook_pages):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    make_page("eng/delivery/start", "[processes](processes)", title="Start", team=handbook_pages)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_links", stdout=out)
    assert (
        "eng/delivery/start: processes (missing page eng/delivery/processes/index; "
        "did you mean processes.md?)"
    ) in out.getvalue()
