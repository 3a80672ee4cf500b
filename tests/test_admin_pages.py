"""The admin smoke test: every registered model's admin pages open for staff on the demo data.

The models come from `admin.site._registry`, not from a list, so an app's admin is covered as
soon as it is registered: the admin index and each app's index, every model's changelist (and
a search when it has `search_fields`), its add page, and the change and history pages of one
row when the demo data has one. A page that does not answer as expected, or raises, is
reported with its URL and error; all of them are reported at once.
"""

import io
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.tests.factories import AdminFactory
from handbook import demo
from notifications.models import Channel
from notifications.tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


def _admin_pages(*, user, models=None):
    """(what, url, expected status) for every admin page of the registered models."""
    request = RequestFactory().get("/admin/")
    request.user = user
    registry = [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if models is None or model in models
    ]
    if models is None:
        yield "admin index", reverse("admin:index"), 200
        for app_label in sorted({model._meta.app_label for model, _ in registry}):
            yield f"{app_label} index", reverse("admin:app_list", args=[app_label]), 200
    for model, model_admin in registry:
        label = model._meta.label
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        yield f"{label} changelist", changelist, 200
        if model_admin.get_search_fields(request):
            yield f"{label} search", f"{changelist}?{urlencode({'q': 'e'})}", 200
        # An admin may refuse additions (deliveries are made by notify() only): then the add
        # page must refuse cleanly.
        add_status = 200 if model_admin.has_add_permission(request) else 403
        yield f"{label} add", reverse("admin:{}_{}_add".format(*info)), add_status
        row = model_admin.get_queryset(request).first()
        if row is not None:
            pk = quote(row.pk)
            yield f"{label} change", reverse("admin:{}_{}_change".format(*info), args=[pk]), 200
            yield f"{label} history", reverse("admin:{}_{}_history".format(*info), args=[pk]), 200


def admin_page_failures(client, *, user, models=None):
    """Open every page; return one line per page that did not answer as expected."""
    failures = []
    for what, url, expected in _admin_pages(user=user, models=models):
        response = client.get(url)
        if response.status_code == expected:
            continue
        error = ""
        if getattr(response, "exc_info", None):
            error = f": {type(response.exc_info[1]).__name__}: {response.exc_info[1]}"
        failures.append(f"{what} {url} answered {response.status_code}, not {expected}{error}")
    return failures


def test_every_admin_page_opens_for_staff_on_the_demo_data():
    call_command("load_demo", stdout=io.StringIO())
    client = Client(raise_request_exception=False)
    # Through the admin's own login form, as a person would (and as django-axes watches).
    login = client.post(
        reverse("admin:login"),
        {"username": demo.ADMIN_USERNAME, "password": demo.ADMIN_PASSWORD, "next": "/admin/"},
    )
    assert login.status_code == 302, login.content[:500]
    admin_user = demo.User.objects.get(username=demo.ADMIN_USERNAME)

    failures = admin_page_failures(client, user=admin_user)

    assert not failures, "Admin pages that failed:\n" + "\n".join(failures)
    # The test covers what it says: the project's own admins and a row's pages among them.
    pages = [what for what, _, _ in _admin_pages(user=admin_user)]
    for expected in ("accounts.User change", "handbook.Page history", "notifications.Channel add"):
        assert expected in pages


def test_a_broken_admin_page_is_reported(monkeypatch):
    """The smoke test can fail: a list_display naming no field breaks the changelist."""
    staff = AdminFactory()
    ChannelFactory()
    channel_admin = admin.site._registry[Channel]
    monkeypatch.setattr(channel_admin, "list_display", (*channel_admin.list_display, "nope"))
    client = Client(raise_request_exception=False)
    client.force_login(staff)

    failures = admin_page_failures(client, user=staff, models=[Channel])

    assert [failure.split(" /")[0] for failure in failures] == [
        "notifications.Channel changelist",
        "notifications.Channel search",
    ]
    assert all("answered 500, not 200: AttributeError" in failure for failure in failures)
    assert all("'nope'" in failure for failure in failures)
