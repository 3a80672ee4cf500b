from datetime import date

import pytest

from handbook import services
from handbook.tests.factories import TeamFactory, make_page
from notifications.models import Channel, Delivery
from notifications.tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


def test_weekly_digest_lists_stale_pages_once_per_team_and_week(django_capture_on_commit_callbacks):
    team = TeamFactory(slug="delivery", name="Delivery")
    quiet = TeamFactory(slug="quiet")
    ChannelFactory(team=team, kind=Channel.Kind.MATTERMOST)
    ChannelFactory(team=quiet, kind=Channel.Kind.MATTERMOST)
    make_page("eng/old", "# Old\n", title="Old runbook", team=team, review_by=date(2026, 1, 1))
    make_page("eng/fresh", "# Fresh\n", team=team, review_by=date(2027, 1, 1))
    make_page("eng/quiet", "# Quiet\n", team=quiet)

    monday = date(2026, 11, 23)
    with django_capture_on_commit_callbacks() as queued:
        assert services.stale_digests_send(today=monday) == 1
        services.stale_digests_send(today=date(2026, 11, 25))  # same ISO week: nothing new
    assert len(queued) == 1
    delivery = Delivery.objects.get()
    assert delivery.key == f"stale-digest:delivery:{delivery.channel_id}:2026-W48"
    assert "Old runbook" in delivery.payload["text"]
    assert "eng/fresh" not in delivery.payload["text"]

    services.stale_digests_send(today=date(2026, 11, 30))  # the next week: a new digest
    assert Delivery.objects.count() == 2


def test_a_team_without_a_channel_is_skipped():
    team = TeamFactory()
    make_page("eng/old", "# Old\n", team=team, review_by=date(2026, 1, 1))
    assert services.stale_digests_send(today=date(2026, 11, 23)) == 0
    assert not Delivery.objects.exists()
