"""The checklist and milestone ticks the release page builds on: the team's members tick,
others may not, and a ticked milestone gets no more reminders."""

from datetime import UTC, date, datetime

import pytest

from accounts.tests.factories import UserFactory
from core.exceptions import NotAllowed
from handbook.tests.factories import MembershipFactory
from notifications.tests.factories import ChannelFactory
from releases import services
from releases.models import ChecklistTemplateItem, Release

from .factories import ON_OR_BEFORE_16TH, make_train

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture
def release():
    train = make_train(rule=ON_OR_BEFORE_16TH, channel=ChannelFactory(), reminder_days=[1, 0])
    ChecklistTemplateItem.objects.create(
        train=train, title="Cut the branch", milestone_name="Code freeze", position=0
    )
    ChecklistTemplateItem.objects.create(train=train, title="Announce", position=1)
    services.train_plan(train=train, since=date(2027, 7, 1), until=date(2027, 7, 31), now=NOW)
    return Release.objects.get(train=train)


def test_planning_copies_the_checklist_under_its_milestones(release):
    items = list(release.checklist.select_related("milestone"))
    assert [(i.title, i.milestone.name if i.milestone else None) for i in items] == [
        ("Cut the branch", "Code freeze"),
        ("Announce", None),
    ]


def test_a_team_member_ticks_an_item_and_an_outsider_may_not(release):
    member = UserFactory()
    MembershipFactory(team=release.train.team, user=member)
    item = release.checklist.first()
    ticked = services.checklist_item_set_done(item=item, done=True, user=member, now=NOW)
    assert ticked.done_at == NOW
    assert ticked.done_by == member
    with pytest.raises(NotAllowed):
        services.checklist_item_set_done(item=item, done=False, user=UserFactory())


def test_a_ticked_milestone_gets_no_more_reminders_and_unticking_plans_them_again(release):
    freeze = release.milestones.get(name="Code freeze")
    assert freeze.reminders.filter(status="pending").count() == 2
    services.milestone_set_done(milestone=freeze, done=True, now=NOW)
    assert freeze.reminders.filter(status="pending").count() == 0
    services.milestone_set_done(milestone=freeze, done=False, now=NOW)
    assert freeze.reminders.filter(status="pending").count() == 2
