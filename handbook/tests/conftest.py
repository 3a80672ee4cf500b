"""Fixtures of the handbook's tests: a person in a team, logged in."""

import pytest

from handbook.tests.factories import MembershipFactory, TeamFactory


@pytest.fixture
def team_member(user):
    team = TeamFactory(slug="delivery")
    MembershipFactory(team=team, user=user)
    return user, team


@pytest.fixture
def member_client(client, team_member):
    client.force_login(team_member[0])
    return client
