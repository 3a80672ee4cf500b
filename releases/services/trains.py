"""Adding and changing trains: the rule, its milestone template, holidays and reminders, all
checked before anything is written (a bad rule or a milestone after release day is a
ValidationError naming the field)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from releases import permissions, schedule
from releases.models import MilestoneTemplate, Train, TrainHoliday

TRAIN_FIELDS = (
    "slug",
    "name",
    "kind",
    "rule",
    "adjustment",
    "start",
    "timezone",
    "holiday_country",
    "reminder_days",
    "channel",
    "version_pattern",
    "first_version",
    "manager_role",
)


@dataclass(frozen=True)
class MilestoneSpec:
    name: str
    offset_business_days: int


def milestones_check(milestones: list[MilestoneSpec]) -> None:
    if not milestones:
        raise ValidationError({"milestones": ["Give at least one milestone (T-0: release day)."]})
    names = [spec.name.strip() for spec in milestones]
    if any(not name for name in names):
        raise ValidationError({"milestones": ["Every milestone needs a name."]})
    if len(set(names)) != len(names):
        raise ValidationError({"milestones": ["Each milestone name once."]})
    for spec in milestones:
        if spec.offset_business_days < 0:
            raise ValidationError(
                {
                    "milestones": [
                        f"{spec.name} would come after release day: offsets count business "
                        f"days before it (0 or more)."
                    ]
                }
            )
        if spec.offset_business_days > 250:
            raise ValidationError(
                {"milestones": [f"{spec.name}: at most 250 business days before release day."]}
            )


def _rule_check(train: Train) -> None:
    if not date(2000, 1, 1) <= train.start <= date(2199, 12, 31):
        raise ValidationError({"start": ["Give a day from 2000-01-01 to 2199-12-31."]})
    try:
        schedule.rule_check(train.rule, train.start)
    except schedule.RuleError as exc:
        raise ValidationError({"rule": [str(exc)]}) from None


def _save(train: Train, *, milestones, holidays, user) -> Train:
    train.full_clean()
    _rule_check(train)
    if milestones is not None:
        milestones_check(milestones)
    if user is not None:
        train._history_user = user
    train.save()
    if milestones is not None:
        train.milestone_templates.all().delete()
        MilestoneTemplate.objects.bulk_create(
            MilestoneTemplate(
                train=train,
                name=spec.name.strip(),
                offset_business_days=spec.offset_business_days,
                position=index,
            )
            for index, spec in enumerate(milestones)
        )
    if holidays is not None:
        train.holidays.all().delete()
        TrainHoliday.objects.bulk_create(TrainHoliday(train=train, date=day) for day in holidays)
    return train


@transaction.atomic
def train_create(
    *,
    team,
    milestones: list[MilestoneSpec],
    holidays: list[date] = (),
    user=None,
    **fields,
) -> Train:
    if user is not None:
        permissions.train_manage_check(user=user, team=team)
    train = Train(team=team, **{k: v for k, v in fields.items() if k in TRAIN_FIELDS})
    return _save(train, milestones=list(milestones), holidays=sorted(set(holidays)), user=user)


@transaction.atomic
def train_update(
    *,
    train: Train,
    milestones: list[MilestoneSpec] | None = None,
    holidays: list[date] | None = None,
    team=None,
    user=None,
    **fields,
) -> Train:
    """Change a train. Releases planned already keep their dates (reschedule them); the new
    rule, template and holidays count for releases planned from now on."""
    train = Train.objects.select_for_update().get(pk=train.pk)
    if user is not None:
        permissions.train_manage_check(user=user, team=train.team)
        if team is not None and team != train.team:
            permissions.train_manage_check(user=user, team=team)
    if team is not None:
        train.team = team
    for name, value in fields.items():
        if name in TRAIN_FIELDS:
            setattr(train, name, value)
    return _save(
        train,
        milestones=list(milestones) if milestones is not None else None,
        holidays=sorted(set(holidays)) if holidays is not None else None,
        user=user,
    )
