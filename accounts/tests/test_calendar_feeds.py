import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from icalendar import Calendar

from accounts.models import CalendarToken
from accounts.services import calendar_token_create_or_rotate, calendar_token_revoke
from accounts.tests.factories import UserFactory
from handbook.models import Meeting
from handbook.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

CALENDAR = "text/calendar; charset=utf-8"


@pytest.fixture
def team():
    team = TeamFactory(slug="delivery", name="Delivery")
    Meeting.objects.create(
        team=team,
        name="Planning",
        recurrence="FREQ=WEEKLY;BYDAY=TU",
        start=datetime(2026, 3, 3, 9, tzinfo=UTC),
        timezone="Europe/Berlin",
    )
    Meeting.objects.create(team=team, name="Kick-off", start=datetime(2026, 4, 1, 12, tzinfo=UTC))
    return team


@pytest.fixture
def person():
    return UserFactory(username="ana")


def _feed(token, *, client=None, slug="delivery", **headers):
    return (client or Client()).get(f"/teams/{slug}/meetings.ics", {"token": token}, **headers)


def _events(response) -> dict[str, dict]:
    calendar = Calendar.from_ical(response.content)
    return {
        str(event["summary"]): {"uid": str(event["uid"]), "rrule": event.get("rrule")}
        for event in calendar.walk("VEVENT")
    }


# Reading a feed with a token.


def test_a_token_reads_the_feed_without_a_session(team, person):
    token = calendar_token_create_or_rotate(user=person).token
    response = _feed(token)
    assert response.status_code == 200
    assert response["Content-Type"] == CALENDAR
    events = _events(response)
    assert set(events) == {"Planning", "Kick-off"}
    planning = Meeting.objects.get(name="Planning")
    assert events["Planning"]["uid"].startswith(f"meeting-{planning.pk}@")
    assert events["Planning"]["rrule"]["FREQ"] == ["WEEKLY"]
    assert events["Kick-off"]["rrule"] is None
    # Authenticated for this request only: no login, no session cookie, no session row.
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()


def test_a_bad_token_is_a_404_even_next_to_a_session(team, person, client):
    # The token decides: a stale subscription URL opened in a logged-in browser still fails,
    # so nobody mistakes it for a working one.
    client.force_login(person)
    assert _feed("stale", client=client).status_code == 404
    token = calendar_token_create_or_rotate(user=person).token
    assert _feed(token, client=client).status_code == 200


def test_a_replaced_token_is_a_404(team, person):
    old = calendar_token_create_or_rotate(user=person).token
    new = calendar_token_create_or_rotate(user=person).token
    assert _feed(old).status_code == 404
    assert _feed(new).status_code == 200


def test_a_revoked_token_is_a_404(team, person):
    token = calendar_token_create_or_rotate(user=person).token
    assert calendar_token_revoke(user=person) is True
    assert _feed(token).status_code == 404
    assert calendar_token_revoke(user=person) is False


@pytest.mark.parametrize("token", ["not-a-token", "", "x" * 500, "\x00"])
def test_a_bad_token_is_a_404_not_a_login_redirect(team, token):
    response = _feed(token)
    assert response.status_code == 404


def test_a_deactivated_persons_token_is_a_404(team, person):
    token = calendar_token_create_or_rotate(user=person).token
    person.is_active = False
    person.save()
    assert _feed(token).status_code == 404


def test_deactivating_a_person_removes_their_calendar_token(admin_api, person):
    calendar_token_create_or_rotate(user=person)
    assert admin_api.delete("/api/v1/people/ana/").status_code == 204
    assert not CalendarToken.objects.filter(user=person).exists()


def test_a_token_for_an_unknown_team_is_a_404(person):
    token = calendar_token_create_or_rotate(user=person).token
    assert _feed(token, slug="nowhere").status_code == 404


def test_a_matching_if_none_match_gets_a_304(team, person):
    token = calendar_token_create_or_rotate(user=person).token
    first = _feed(token)
    etag = first["ETag"]
    assert etag.startswith('"')
    assert "private" in first["Cache-Control"]
    again = _feed(token, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert _feed(token, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_the_etag_changes_when_a_meeting_changes(team, person):
    token = calendar_token_create_or_rotate(user=person).token
    etag = _feed(token)["ETag"]
    Meeting.objects.filter(name="Planning").update(name="Sprint planning")
    changed = _feed(token, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Sprint planning" in _events(changed)


def test_head_answers_like_get_without_a_body(team, person):
    token = calendar_token_create_or_rotate(user=person).token
    get = _feed(token)
    head = Client().head("/teams/delivery/meetings.ics", {"token": token})
    assert head.status_code == 200
    assert head["Content-Type"] == CALENDAR
    assert head["ETag"] == get["ETag"]
    assert head.content == b""


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_feeds_only_answer_get_and_head(team, person, method):
    token = calendar_token_create_or_rotate(user=person).token
    response = getattr(Client(), method)(f"/teams/delivery/meetings.ics?token={token}")
    assert response.status_code == 405


def test_using_a_token_records_when_at_most_once_an_hour(team, person):
    token = calendar_token_create_or_rotate(user=person).token
    with time_machine.travel(datetime(2026, 5, 1, 8, tzinfo=UTC), tick=False):
        _feed(token)
    with time_machine.travel(datetime(2026, 5, 1, 8, 30, tzinfo=UTC), tick=False):
        _feed(token)
    first_use = CalendarToken.objects.get(user=person).last_used_at
    assert first_use == datetime(2026, 5, 1, 8, tzinfo=UTC)
    with time_machine.travel(datetime(2026, 5, 1, 9, 30, tzinfo=UTC), tick=False):
        _feed(token)
    record = CalendarToken.objects.get(user=person)
    assert record.last_used_at == datetime(2026, 5, 1, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("n_meetings", [1, 10])
def test_a_token_feed_query_count_is_fixed(team, person, django_assert_num_queries, n_meetings):
    for index in range(n_meetings):
        Meeting.objects.create(
            team=team, name=f"Extra {index}", start=datetime(2026, 3, 3, 9, tzinfo=UTC)
        )
    token = calendar_token_create_or_rotate(user=person).token
    _feed(token)  # records the use: later reads within the hour write nothing
    # token with person, team (with its members and contacts: the team selector), meetings
    with django_assert_num_queries(5):
        assert _feed(token).status_code == 200


# Without a token.


def test_without_token_or_session_the_feed_redirects_to_login(team):
    response = Client().get("/teams/delivery/meetings.ics")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/teams/delivery/meetings.ics"


def test_a_session_still_reads_the_feed(team, person, client):
    client.force_login(person)
    response = client.get("/teams/delivery/meetings.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == CALENDAR
    assert "ETag" in response
    assert set(_events(response)) == {"Planning", "Kick-off"}


def test_the_feed_leaves_out_meetings_whose_rule_is_unreadable(team, person):
    # Stored before rules were validated: create() does not run the field validators.
    for rule in ("banana", "FREQ=SOMETIMES", "FREQ=WEEKLY;UNTIL=2026"):
        start = datetime(2026, 1, 1, tzinfo=UTC)
        Meeting.objects.create(team=team, name=f"Broken {rule}", recurrence=rule, start=start)
    token = calendar_token_create_or_rotate(user=person).token
    response = _feed(token)
    assert response.status_code == 200
    assert set(_events(response)) == {"Planning", "Kick-off"}


# Storage.


def test_the_token_is_stored_only_as_its_hash(person):
    issued = calendar_token_create_or_rotate(user=person)
    record = CalendarToken.objects.get(user=person)
    assert len(issued.token) >= 40
    assert record.key_hash != issued.token
    assert record.key_hash == CalendarToken.hash_key(issued.token)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_calendartoken")
        rows = cursor.fetchall()
    assert rows
    assert not any(issued.token in str(value) for row in rows for value in row)


# The API.


def test_api_creates_a_token_that_opens_the_feeds(api, user, team):
    response = api.post("/api/v1/me/calendar-token/")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "created_at"}
    assert response["Cache-Control"] == "no-store"
    assert CalendarToken.objects.get(user=user).key_hash == CalendarToken.hash_key(body["token"])
    assert _feed(body["token"]).status_code == 200


def test_api_post_again_replaces_the_token(api, user, team):
    first = api.post("/api/v1/me/calendar-token/").json()["token"]
    second = api.post("/api/v1/me/calendar-token/").json()["token"]
    assert first != second
    assert CalendarToken.objects.filter(user=user).count() == 1
    assert _feed(first).status_code == 404
    assert _feed(second).status_code == 200


def test_api_delete_revokes_and_is_204_also_without_a_token(api, user, team):
    token = api.post("/api/v1/me/calendar-token/").json()["token"]
    assert api.delete("/api/v1/me/calendar-token/").status_code == 204
    assert not CalendarToken.objects.filter(user=user).exists()
    assert _feed(token).status_code == 404
    assert api.delete("/api/v1/me/calendar-token/").status_code == 204


@pytest.mark.parametrize("method", ["post", "delete"])
def test_api_calendar_token_needs_credentials(anon_api, method):
    response = getattr(anon_api, method)("/api/v1/me/calendar-token/")
    assert response.status_code == 401
    assert not CalendarToken.objects.exists()


def test_a_calendar_token_is_not_an_api_token(anon_api, person):
    token = calendar_token_create_or_rotate(user=person).token
    anon_api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert anon_api.get("/api/v1/auth/me/").status_code == 401


# The "My account" page.


@pytest.fixture
def member(client, person, team):
    MembershipFactory(team=team, user=person)
    MembershipFactory(team=TeamFactory(slug="platform", name="Platform"), user=person)
    client.force_login(person)
    return client


def _subscribe_urls(html: str) -> list[str]:
    return re.findall(r'class="feed-url" value="([^"]+)"', html)


def test_account_page_without_a_token_offers_to_create_one(member):
    response = member.get("/account/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "You have no calendar token." in html
    assert "Create a calendar token" in html
    assert "Revoke" not in html
    assert "http://testserver/teams/delivery/meetings.ics" in html
    assert "token=" not in html


def test_creating_a_token_shows_it_once_with_the_feed_urls(member, person):
    response = member.post("/account/calendar-token/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    urls = _subscribe_urls(html)
    assert [urlsplit(url).path for url in urls] == [
        f"/people/{person.username}/calendar.ics",
        "/teams/delivery/meetings.ics",
        "/teams/platform/meetings.ics",
        "/releases/calendar.ics",  # every train's; the person's teams have no train
    ]
    assert all(url.startswith("http://testserver/") for url in urls)
    token = parse_qs(urlsplit(urls[0]).query)["token"][0]
    assert CalendarToken.objects.get(user=person).key_hash == CalendarToken.hash_key(token)
    assert _feed(token).status_code == 200

    later = member.get("/account/").content.decode()
    assert token not in later
    assert "You have a calendar token, created" in later
    assert "Replace my calendar token" in later


def test_replacing_the_token_from_the_page_retires_the_old_urls(member):
    first = _subscribe_urls(member.post("/account/calendar-token/").content.decode())[0]
    second = _subscribe_urls(member.post("/account/calendar-token/").content.decode())[0]
    assert first != second
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200


def test_revoking_from_the_page(member, person):
    url = _subscribe_urls(member.post("/account/calendar-token/").content.decode())[0]
    response = member.post("/account/calendar-token/revoke/", follow=True)
    assert response.redirect_chain == [("/account/", 302)]
    html = response.content.decode()
    assert "revoked" in html
    assert "You have no calendar token." in html
    assert not CalendarToken.objects.filter(user=person).exists()
    assert Client().get(url).status_code == 404


def test_account_page_has_no_inline_script_or_style(member):
    html = member.post("/account/calendar-token/").content.decode()
    assert 'src="/static/js/account.js"' in html
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)
    assert "style=" not in html
    assert "<style" not in html


def test_account_link_in_the_menu(member):
    assert 'href="/account/">My account</a>' in member.get("/").content.decode()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/account/"),
        ("post", "/account/calendar-token/"),
        ("post", "/account/calendar-token/revoke/"),
    ],
)
def test_account_pages_need_a_login(method, url):
    response = getattr(Client(), method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert not CalendarToken.objects.exists()


@pytest.mark.parametrize("n_teams", [1, 8])
def test_account_page_query_count_is_fixed(client, person, django_assert_num_queries, n_teams):
    for _ in range(n_teams):
        MembershipFactory(user=person)
    calendar_token_create_or_rotate(user=person)
    client.force_login(person)
    client.get("/account/")
    # person (the session is in the cache), their teams, their rotas, their trains, their token
    with django_assert_num_queries(5):
        assert client.get("/account/").status_code == 200


def test_replacing_a_token_resets_its_dates(person, team):
    with time_machine.travel(datetime(2026, 5, 1, tzinfo=UTC), tick=False):
        _feed(calendar_token_create_or_rotate(user=person).token)
    assert CalendarToken.objects.get(user=person).last_used_at is not None
    later = datetime(2026, 5, 4, tzinfo=UTC)
    with time_machine.travel(later, tick=False):
        issued = calendar_token_create_or_rotate(user=person)
    record = CalendarToken.objects.get(user=person)
    assert issued.created_at == record.created_at == later
    assert record.last_used_at is None
