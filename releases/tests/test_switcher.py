"""Trains and releases in the quick switcher."""

from datetime import UTC, date, datetime

import pytest

from accounts.tests.factories import UserFactory
from releases import services

from .factories import THIRD_THURSDAY, make_train

pytestmark = pytest.mark.django_db


def test_the_switcher_finds_a_release_by_version_and_a_train_by_a_typo(client):
    train = make_train(rule=THIRD_THURSDAY, name="Self-managed monthly", first_version="17.0.0")
    now = datetime(2026, 12, 1, tzinfo=UTC)
    services.train_plan(train=train, since=date(2027, 1, 1), until=date(2027, 3, 31), now=now)
    client.force_login(UserFactory())

    def found(query):
        body = client.get("/switch/", {"q": query}).json()
        return {(r["kind"], r["label"], r["url"]) for g in body["groups"] for r in g["results"]}

    assert ("release", "17.1.0", "/releases/17.1.0/") in found("17.1")
    assert ("train", "Self-managed monthly", "/releases/") in found("monthyl")
