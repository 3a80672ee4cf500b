"""The demo data: two trains of the delivery team, past releases shipped with one slip, so the
metrics have something to show; loading it again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from releases import selectors
from releases.models import Release, Slip, Train

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_trains_past_releases_and_one_slip():
    call_command("load_demo", "--tickets", "5", stdout=StringIO())
    assert set(Train.objects.values_list("slug", flat=True)) == {"self-managed", "cloud"}
    metrics = selectors.release_metrics()
    assert metrics.released >= 8
    assert metrics.max_slip_days == 2
    assert metrics.on_time == metrics.released - 1
    assert Release.objects.filter(status="planned", manager__isnull=False).exists()
    counts = (Release.objects.count(), Slip.objects.count())
    call_command("load_demo", "--tickets", "5", stdout=StringIO())
    assert (Release.objects.count(), Slip.objects.count()) == counts
