"""The rota pages' reads as the views use them."""

from datetime import UTC, datetime

import pytest
import time_machine

from .factories import make_rotation, role

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime(2025, 4, 2, 10, tzinfo=UTC), tick=False)
def test_my_shifts_lists_a_shift_under_recently_only_once_it_is_over(client, people):
    # a: Mon 24 Mar to Mon 31 Mar (over); b: from Mon 31 Mar, on call now.
    a, b = people[:2]
    make_rotation(roles=[role("Primary", [a, b])])

    client.force_login(b)
    response = client.get("/rotations/me/")
    assert response.status_code == 200
    assert response.context["recent"] == []
    [current, *_] = response.context["upcoming"]
    assert current.shift.person.username == "b"
    assert "Recently" not in response.content.decode()

    client.force_login(a)
    [over] = client.get("/rotations/me/").context["recent"]
    assert (over.shift.start, over.shift.end) == (
        datetime(2025, 3, 24, 8, tzinfo=UTC),
        datetime(2025, 3, 31, 7, tzinfo=UTC),
    )


@time_machine.travel(datetime(2025, 4, 2, 10, tzinfo=UTC), tick=False)
def test_an_override_form_error_is_linked_to_its_field_and_keeps_what_was_typed(client, people):
    a, b = people[:2]
    rotation = make_rotation(roles=[role("Primary", [a, b])])
    client.force_login(a)
    response = client.post(
        f"/rotations/{rotation.pk}/overrides/",
        {
            "role": rotation.roles.get().pk,
            "person": "b",
            "start": "2025-04-05T09:00",
            "end": "2025-04-04T09:00",
            "reason": "swap",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'aria-describedby="id_end_helptext id_end_error"' in page
    assert '<small role="alert" class="form-error" id="id_end_error">' in page
    assert 'value="swap"' in page
    assert 'aria-describedby="id_reason_helptext"' in page
    assert '<small id="id_end_helptext">In Europe/Berlin.</small>' in page
    assert not rotation.roles.get().overrides.exists()


@pytest.mark.django_db(transaction=True)  # so that the page's parts are kept in the caches
def test_the_kept_override_form_offers_a_new_team_member_at_once(client, people):
    from accounts.tests.factories import UserFactory
    from handbook.tests.factories import MembershipFactory

    a, b = people[:2]
    rotation = make_rotation(roles=[role("Primary", [a, b])])
    client.force_login(a)
    url = f"/rotations/{rotation.pk}/"
    assert "newcomer" not in client.get(url).content.decode()
    assert "newcomer" not in client.get(url).content.decode()  # from the cache now
    MembershipFactory(team=rotation.team, user=UserFactory(username="newcomer"))
    assert '<option value="newcomer">' in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)  # so that the page's parts are kept in the caches
def test_gaps_and_conflicts_kept_on_the_page_follow_a_new_override(client, people):
    from datetime import timedelta

    from django.utils import timezone

    from rotations import services

    a, b, c, d = people
    rotation = make_rotation(roles=[role("Primary", [a, b]), role("Backup", [c, d])])
    client.force_login(a)
    url = f"/rotations/{rotation.pk}/"
    assert "None in the next 12 weeks." in client.get(url).content.decode()
    assert "None in the next 12 weeks." in client.get(url).content.decode()  # kept
    # A covers Backup while holding Primary (A or B holds it every other week).
    start = timezone.now() + timedelta(days=1)
    services.override_create(
        role=rotation.roles.get(name="Backup"),
        person=a,
        start=start,
        end=start + timedelta(days=14),
    )
    page = client.get(url).content.decode()
    assert "None in the next 12 weeks." not in page
    assert "<strong>A</strong> holds Primary and Backup at once" in page


@pytest.mark.django_db(transaction=True)  # so that the page's body is kept in the caches
def test_the_kept_rota_page_is_served_without_reading_the_rota_and_with_each_readers_token(
    people,
):
    import re

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.tests.factories import UserFactory

    a, b = people[:2]
    rotation = make_rotation(roles=[role("Primary", [a, b])])
    url = f"/rotations/{rotation.pk}/"
    first = Client(enforce_csrf_checks=True)
    first.force_login(a)
    assert 'id="override-form"' in first.get(url).content.decode()

    second = Client(enforce_csrf_checks=True)
    second.force_login(b)
    second.get("/rotations/")  # b's session and rights are read once, as on any page
    second.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = second.get(url).content.decode()
    # The body came from the cache: only b's user is read (the session is in the cache too).
    assert [q["sql"] for q in queries if "rotations_" in q["sql"]] == []
    assert len(queries) == 1
    # Its forms carry b's own CSRF token, not a's: b's override is accepted.
    form = page.split('id="override-form"')[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = second.post(
        f"/rotations/{rotation.pk}/overrides/",
        {
            "csrfmiddlewaretoken": token,
            "role": rotation.roles.get().pk,
            "person": "b",
            "start": "2031-04-05T09:00",
            "end": "2031-04-06T09:00",
            "reason": "swap",
        },
    )
    assert response.status_code == 302
    assert rotation.roles.get().overrides.get().user == b

    # Someone outside the team gets a body of their own: no form, no Cancel buttons.
    outsider = Client()
    outsider.force_login(UserFactory(username="outsider"))
    page = outsider.get(url).content.decode()
    assert 'id="override-form"' not in page
    assert "Cancel the override of B" not in page
    assert "Cancel the override of B" in second.get(url).content.decode()
