import factory

from notifications.models import Channel


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    name = factory.Sequence(lambda n: f"Channel {n}")
    kind = Channel.Kind.MATTERMOST
    target = "http://127.0.0.1:9/hooks/unused"
