"""Editing a team in the portal: the charter with its ordered lists, stale writes, the no-JS
list buttons, who may, and form errors in place."""

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory, TeamFactory
from tests.support import form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(
        slug="delivery",
        name="Delivery",
        principles=["Automate the toil", "Ship small", "Write it down"],
        ownership=["Release tooling", "Deploy pipeline"],
    )


@pytest.fixture
def lead(team):
    return MembershipFactory(team=team, role=Membership.Role.LEAD, user__username="lead").user


def _client(client, person):
    client.force_login(person)
    return client


def _charter_data(client, team, **changes):
    """The charter form as the edit page renders it, with `changes` made by a person."""
    html = client.get(reverse("handbook:team_edit", args=[team.slug])).content.decode()
    start = html.index('id="charter"')
    form = html[start : html.index("</form>", start)]
    fields = form_fields(form)
    # Repeated inputs: the parser keeps the last; a browser sends all of them, in order.
    team.refresh_from_db()
    fields["principles"] = list(team.principles)
    fields["ownership"] = list(team.ownership)
    fields.update(changes)
    return fields


def test_a_lead_saves_the_principles_and_ownership_in_a_new_order(client, team, lead):
    client = _client(client, lead)
    data = _charter_data(
        client,
        team,
        principles=["Write it down", "Automate the toil", "Ship small"],
        ownership=["Deploy pipeline", "Release tooling", "  "],
    )
    response = client.post(reverse("handbook:team_charter", args=[team.slug]), data)
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.principles == ["Write it down", "Automate the toil", "Ship small"]
    assert team.ownership == ["Deploy pipeline", "Release tooling"]  # the blank line dropped
    assert team.version == 2
    assert team.history.first().history_user == lead

    page = client.get(reverse("handbook:team", args=[team.slug])).content.decode()
    assert page.index("Deploy pipeline") < page.index("Release tooling")


def test_a_list_button_without_javascript_rearranges_the_form_and_saves_nothing(client, team, lead):
    client = _client(client, lead)
    data = _charter_data(client, team, op="principles:down:0", mission="Typed, not saved")
    response = client.post(reverse("handbook:team_charter", args=[team.slug]), data)
    assert response.status_code == 200
    html = response.content.decode()
    fields = html[html.index('id="list-principles"') :]
    assert fields.index('value="Ship small"') < fields.index('value="Automate the toil"')
    assert "Typed, not saved" in html  # what was typed elsewhere in the form is kept
    # The focus stays on the moved item's own button, now at position 2.
    assert 'value="principles:down:1" data-op="down"' in html
    down = html[html.index('value="principles:down:1"') :]
    assert down[: down.index(">")].endswith("autofocus")
    team.refresh_from_db()
    assert team.principles == ["Automate the toil", "Ship small", "Write it down"]
    assert team.mission == "Ship good software."


def test_adding_and_removing_lines_without_javascript(client, team, lead):
    client = _client(client, lead)
    url = reverse("handbook:team_charter", args=[team.slug])
    added = client.post(url, _charter_data(client, team, op="ownership:add")).content.decode()
    assert added.count('name="ownership"') == 3 + 1  # one more input, and the template's
    removed = client.post(url, _charter_data(client, team, op="ownership:remove:0"))
    html = removed.content.decode()
    listed = html[
        html.index('id="list-ownership"') : html.index(
            "<template", html.index('id="list-ownership"')
        )
    ]
    assert 'value="Release tooling"' not in listed
    assert 'value="Deploy pipeline"' in listed


def test_bad_input_is_shown_next_to_its_field(client, team, lead):
    client = _client(client, lead)
    data = _charter_data(client, team, name="", principles=["x" * 501], channel_url="not a url")
    response = client.post(reverse("handbook:team_charter", args=[team.slug]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_name_error"' in html
    assert "Line 1 is longer than 500 characters." in html
    assert "Enter a valid URL." in html
    team.refresh_from_db()
    assert team.name == "Delivery"


def test_two_leads_editing_at_once_do_not_overwrite_each_other(client, team, lead):
    other_lead = MembershipFactory(team=team, role=Membership.Role.LEAD).user
    first = _client(client, lead)
    url = reverse("handbook:team_charter", args=[team.slug])
    theirs = _charter_data(first, team, mission="Theirs")
    mine = dict(theirs, mission="Mine", principles=["Only this one"])

    assert first.post(url, theirs).status_code == 302
    second = _client(client, other_lead)
    response = second.post(url, mine)  # from version 1, now stale

    assert response.status_code == 409
    team.refresh_from_db()
    assert team.mission == "Theirs"
    html = response.content.decode()
    assert "Someone saved the charter while you were editing" in html
    assert "Mine" in html and "Theirs" in html  # mine kept in the form, theirs shown
    assert 'name="base_version" value="2"' in html
    # Saving again, knowing, replaces it.
    assert second.post(url, dict(mine, base_version="2")).status_code == 302
    team.refresh_from_db()
    assert team.mission == "Mine"
    assert team.principles == ["Only this one"]


def test_changes_to_different_fields_made_at_once_are_both_kept(client, team, lead):
    other_lead = MembershipFactory(team=team, role=Membership.Role.LEAD).user
    first = _client(client, lead)
    url = reverse("handbook:team_charter", args=[team.slug])
    opened = _charter_data(first, team)  # both open the page at version 1
    assert first.post(url, dict(opened, mission="Theirs", vision_1y="Soon")).status_code == 302

    second = _client(client, other_lead)
    reordered = ["Write it down", "Ship small", "Automate the toil"]
    response = second.post(url, dict(opened, principles=reordered), follow=True)

    assert response.redirect_chain[0][1] == 302
    assert "Someone changed the mission, vision: one year meanwhile" in response.content.decode()
    team.refresh_from_db()
    assert (team.mission, team.vision_1y, team.principles) == ("Theirs", "Soon", reordered)
    assert team.version == 3


def test_a_conflict_keeps_their_change_to_the_fields_only_they_touched(client, team, lead):
    other_lead = MembershipFactory(team=team, role=Membership.Role.LEAD).user
    first = _client(client, lead)
    url = reverse("handbook:team_charter", args=[team.slug])
    opened = _charter_data(first, team)
    first.post(url, dict(opened, mission="Theirs", ownership=["Deploy pipeline"]))

    second = _client(client, other_lead)
    response = second.post(url, dict(opened, mission="Mine"))

    assert response.status_code == 409
    html = response.content.decode()
    form = html[html.index("<form", html.index('id="charter"')) :]
    assert "Mine</textarea>" in form  # theirs is shown above, mine stays in the form
    assert 'value="Deploy pipeline"' in form
    assert 'value="Release tooling"' not in form[: form.index("<template")]
    assert "their change to the areas of ownership" in html


def test_a_save_in_the_admin_makes_an_open_edit_page_stale(client, team, lead):
    from tests.support import resubmit_form

    data = _charter_data(_client(client, lead), team, mission="From the edit page")
    admin = _client(client, AdminFactory())
    url = reverse("admin:handbook_team_change", args=[team.pk])

    def change(fields):
        fields["mission"] = "From the admin"

    assert resubmit_form(admin, url, change).status_code == 302
    lead_client = _client(client, lead)
    response = lead_client.post(reverse("handbook:team_charter", args=[team.slug]), data)
    assert response.status_code == 409
    team.refresh_from_db()
    assert team.mission == "From the admin"


def test_a_charter_posted_without_its_version_is_refused_with_a_reason(client, team, lead):
    client = _client(client, lead)
    data = _charter_data(client, team, mission="Changed")
    del data["base_version"]
    response = client.post(reverse("handbook:team_charter", args=[team.slug]), data)
    assert response.status_code == 400
    assert "lost track of the version" in response.content.decode()
    team.refresh_from_db()
    assert team.mission == "Ship good software."


@pytest.mark.django_db(transaction=True)
def test_two_saves_from_one_version_at_the_same_moment_keep_exactly_one():
    import threading

    from django.db import connection

    from core.exceptions import StaleWrite
    from handbook import services

    team = TeamFactory(principles=["A", "B"])
    barrier = threading.Barrier(2)
    outcomes = []

    def save(principles):
        try:
            barrier.wait()
            services.team_update(team=team, base_version=1, principles=principles)
            outcomes.append(("saved", principles))
        except StaleWrite as stale:
            outcomes.append(("stale", stale.current.version))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(order,)) for order in (["B", "A"], ["A", "B", "C"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(kind for kind, _ in outcomes) == ["saved", "stale"]
    saved = next(value for kind, value in outcomes if kind == "saved")
    team.refresh_from_db()
    assert team.principles == saved
    assert team.version == 2
    assert ("stale", 2) in outcomes


@pytest.mark.parametrize(
    ("operation", "after", "focus"),
    [
        ("up:1", ["b", "a", "c"], 0),
        ("up:0", ["a", "b", "c"], 0),  # the first stays first, and keeps the focus
        ("down:2", ["a", "b", "c"], 2),
        ("down:0", ["b", "a", "c"], 1),
        ("remove:2", ["a", "b"], 1),
        ("remove:9", ["a", "b", "c"], None),
        ("add", ["a", "b", "c", None], 3),
        ("up:x", ["a", "b", "c"], None),
        ("sideways:1", ["a", "b", "c"], 1),
    ],
)
def test_list_buttons_without_javascript(operation, after, focus):
    from handbook.team_forms import list_operation

    assert list_operation(["a", "b", "c"], operation) == (after, focus)


def test_a_field_in_error_is_described_by_its_error(client, team, lead):
    client = _client(client, lead)
    data = _charter_data(client, team, name="")
    html = client.post(reverse("handbook:team_charter", args=[team.slug]), data).content.decode()
    field = html[html.index('id="id_name"') - 200 : html.index('id="id_name"') + 200]
    assert 'aria-describedby="id_name_error"' in field
    assert 'aria-invalid="true"' in field
