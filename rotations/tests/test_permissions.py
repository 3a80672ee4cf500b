"""The rota page's cached rights give the same answers as the rules they stand for."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.tests.factories import AdminFactory, UserFactory
from handbook.models import Membership
from handbook.tests.factories import MembershipFactory
from rotations import permissions

from .factories import make_rotation, role

pytestmark = pytest.mark.django_db(transaction=True)  # so that the caches are used


def _granted(codename, *, through_group=False):
    person = UserFactory()
    permission = Permission.objects.get(codename=codename)
    if through_group:
        group = Group.objects.create(name=f"with {codename}")
        group.permissions.add(permission)
        person.groups.add(group)
    else:
        person.user_permissions.add(permission)
    return person


def test_the_rota_page_rights_agree_with_the_rules_for_everyone(people):
    rotation = make_rotation(roles=[role("Primary", people[:2])])
    team = rotation.team
    everyone = {
        "engineer": people[0],
        "lead": MembershipFactory(team=team, role=Membership.Role.LEAD).user,
        "pm": MembershipFactory(team=team, role=Membership.Role.PM).user,
        "other team": MembershipFactory(role=Membership.Role.LEAD).user,
        "nobody": UserFactory(),
        "inactive member": MembershipFactory(team=team, user=UserFactory(is_active=False)).user,
        "change_rotation": _granted("change_rotation"),
        "change_team by group": _granted("change_team", through_group=True),
        "change_override": _granted("change_override"),
        "superuser": AdminFactory(),
    }
    answers = {}
    for name, person in everyone.items():
        rules = (
            permissions.rotation_can_edit(user=person, rotation=rotation),
            permissions.override_can_manage(user=person, rotation=rotation),
        )
        cached = permissions.rota_page_rights(user=person, team_id=rotation.team_id)
        assert cached == rules, name
        assert permissions.rota_page_rights(user=person, team_id=rotation.team_id) == rules, name
        answers[name] = rules
    assert answers["engineer"] == (False, True)
    assert answers["lead"] == (True, True)
    assert answers["other team"] == (False, False)
    assert answers["change_team by group"] == (True, False)


def test_a_new_membership_changes_the_cached_rights_at_once(people):
    rotation = make_rotation(roles=[role("Primary", people[:2])])
    newcomer = UserFactory()
    assert permissions.rota_page_rights(user=newcomer, team_id=rotation.team_id) == (False, False)
    MembershipFactory(team=rotation.team, user=newcomer, role=Membership.Role.LEAD)
    assert permissions.rota_page_rights(user=newcomer, team_id=rotation.team_id) == (True, True)
