"""The metrics page: a year's figures, a chart of each month, and its table."""

from datetime import UTC, date, datetime

import pytest

from accounts.tests.factories import UserFactory
from releases import services
from releases.models import Release

from .factories import THIRD_THURSDAY, make_train

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


@pytest.fixture
def reader(client):
    client.force_login(UserFactory())
    return client


def test_a_year_with_one_slip_shows_its_figures_chart_and_table(reader):
    train = make_train(rule=THIRD_THURSDAY, kind="self-managed")
    services.train_plan(train=train, since=date(2027, 1, 1), until=date(2027, 12, 31), now=NOW)
    july = Release.objects.get(train=train, release_date=date(2027, 7, 15))
    services.release_reschedule(release=july, release_date=date(2027, 7, 19), reason="CVE", now=NOW)
    for release in Release.objects.filter(train=train):
        services.release_mark_released(release=release, now=NOW)
    response = reader.get("/releases/metrics/?year=2027")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<dt>Shipped</dt><dd>12</dd>" in html
    assert "11 of 12 (92%)" in html
    assert "2 business days" in html
    # Eleven months on time, July late: one bar of each kind a month.
    assert html.count('class="bar-on-time"') == 11 and html.count('class="bar-late"') == 1
    assert "<title>July: 1 shipped, 0 on time, 1 late</title>" in html
    assert '<tr><th scope="row">July</th><td>1</td><td>0</td><td>1</td></tr>' in html
    assert f"{train.name}: 12 shipped" in html
    # Another kind shipped nothing that year.
    html = reader.get("/releases/metrics/?year=2027&kind=cloud").content.decode()
    assert "No release was shipped in 2027 by trains of this kind." in html
    assert "by cloud trains" in html


def test_a_bad_period_is_a_400_with_the_reason_never_a_500(reader):
    for query in ("year=abc", "year=99999", "kind=weekly"):
        response = reader.get(f"/releases/metrics/?{query}")
        assert response.status_code == 400, query
        assert 'role="alert"' in response.content.decode()


def test_the_page_needs_a_login(client):
    assert client.get("/releases/metrics/")["Location"].startswith("/login/")
