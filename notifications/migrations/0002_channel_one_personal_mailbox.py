from django.db import migrations, models


def merge_duplicate_mailboxes(apps, schema_editor):
    """Two runs could each make a person's mailbox channel: keep the first, move the
    deliveries of the others to it."""
    Channel = apps.get_model("notifications", "Channel")
    Delivery = apps.get_model("notifications", "Delivery")
    seen = {}
    for channel in Channel.objects.filter(kind="email", team__isnull=True).order_by("pk"):
        kept = seen.setdefault(channel.target, channel.pk)
        if kept != channel.pk:
            Delivery.objects.filter(channel_id=channel.pk).update(channel_id=kept)
            channel.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(merge_duplicate_mailboxes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="channel",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "email"), ("team__isnull", True)),
                fields=("target",),
                name="channel_one_personal_mailbox",
            ),
        ),
    ]
