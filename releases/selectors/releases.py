"""Trains and releases for the API and the pages: querysets with a fixed number of queries."""

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from releases.models import Milestone, Release, Slip, Train


def train_api_list() -> QuerySet[Train]:
    return (
        Train.objects.select_related("team", "channel")
        .prefetch_related("milestone_templates", "holidays")
        .order_by("slug")
    )


def train_get(*, slug: str) -> Train:
    train = train_api_list().filter(slug=slug).first()
    if train is None:
        raise Http404("No such train.")
    return train


def release_api_list(
    *,
    start: date | None = None,
    end: date | None = None,
    kind: str | None = None,
    train: str | None = None,
) -> QuerySet[Release]:
    queryset = (
        Release.objects.select_related("train", "manager")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("position", "id")),
            Prefetch("slips", queryset=Slip.objects.filter(milestone__isnull=True)),
        )
        .order_by("release_date", "id")
    )
    if start is not None:
        queryset = queryset.filter(release_date__gte=start)
    if end is not None:
        queryset = queryset.filter(release_date__lte=end)
    if kind is not None:
        queryset = queryset.filter(train__kind=kind)
    if train is not None:
        queryset = queryset.filter(train__slug=train)
    return queryset


def release_get(*, version: str) -> Release:
    release = release_api_list().filter(version=version).first()
    if release is None:
        raise Http404("No such release.")
    return release
