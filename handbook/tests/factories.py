import factory

from accounts.tests.factories import UserFactory
from handbook.models import ContactRoute, Membership, Team


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    slug = factory.Sequence(lambda n: f"team-{n}")
    name = factory.Sequence(lambda n: f"Team {n}")
    mission = "Ship good software."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.ENGINEER


class ContactRouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactRoute

    team = factory.SubFactory(TeamFactory)
    reason = "Urgent release problem"
    contacts = ["@release-manager", "@delivery-rota"]
    via = "Chat"


def make_page(path, markdown="# Title\n", *, title=None, team=None, user=None, **kwargs):
    """A page saved through the service, as the app does (links, anchors, search)."""
    from handbook.services import page_save

    page, _ = page_save(
        path=path,
        title=title or path.rsplit("/", 1)[-1],
        markdown=markdown,
        team=team,
        user=user,
        **kwargs,
    )
    return page
