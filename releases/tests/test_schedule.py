"""The date engine, without the database: release days from rules, business-day arithmetic."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from releases import schedule
from releases.schedule import BusinessCalendar, RuleError

THIRD_THURSDAY = "FREQ=MONTHLY;BYDAY=+3TH"
ON_OR_BEFORE_16TH = "FREQ=MONTHLY;BYMONTHDAY=16"
ON_OR_BEFORE_16TH_SETPOS = "FREQ=MONTHLY;BYMONTHDAY=12,13,14,15,16;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"
WEEKENDS_ONLY = BusinessCalendar()
TEMPLATE = [
    ("Feature complete", 24),
    ("RC1", 19),
    ("Code freeze", 10),
    ("Release approval", 8),
    ("Release", 0),
]


def _2027(rule, **kwargs):
    return schedule.release_days(
        rule=rule, start=date(2027, 1, 1), until=date(2027, 12, 31), **kwargs
    )


def test_the_third_thursday_rule_gives_the_2027_days():
    days = _2027(THIRD_THURSDAY)
    assert [f"{d:%m-%d}" for d in days] == [
        "01-21",
        "02-18",
        "03-18",
        "04-15",
        "05-20",
        "06-17",
        "07-15",
        "08-19",
        "09-16",
        "10-21",
        "11-18",
        "12-16",
    ]


@pytest.mark.parametrize("rule", [ON_OR_BEFORE_16TH, ON_OR_BEFORE_16TH_SETPOS])
def test_first_business_day_on_or_before_the_16th_gives_fridays_when_the_16th_is_a_weekend(rule):
    days = _2027(rule)
    fridays = [date(2027, 1, 15), date(2027, 5, 14), date(2027, 10, 15)]
    assert len(days) == 12
    assert [d for d in days if d.day != 16] == fridays
    assert all(d.weekday() == 4 for d in fridays)
    assert sum(1 for d in days if d.day == 16) == 9


def test_a_release_day_on_a_holiday_moves_to_the_business_day_before():
    calendar = BusinessCalendar(frozenset({date(2027, 2, 16)}))
    days = _2027(ON_OR_BEFORE_16TH, calendar=calendar)
    assert date(2027, 2, 15) in days
    assert date(2027, 2, 16) not in days


def test_every_second_thursday():
    days = schedule.release_days(
        rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", start=date(2027, 1, 7), until=date(2027, 2, 28)
    )
    assert days == [date(2027, 1, 7), date(2027, 1, 21), date(2027, 2, 4), date(2027, 2, 18)]


def test_milestones_count_back_business_days_over_weekends():
    found = schedule.milestone_dates(
        release_day=date(2027, 7, 16), template=TEMPLATE, calendar=WEEKENDS_ONLY
    )
    dues = {m.name: m.due for m in found}
    assert dues["Feature complete"] == date(2027, 6, 14)  # T-24
    assert dues["RC1"] == date(2027, 6, 21)  # T-19
    assert dues["Code freeze"] == date(2027, 7, 2)  # T-10
    assert dues["Release approval"] == date(2027, 7, 6)  # T-8
    assert dues["Release"] == date(2027, 7, 16)


def test_milestones_skip_a_holiday():
    calendar = BusinessCalendar(frozenset({date(2027, 7, 5)}))
    found = schedule.milestone_dates(
        release_day=date(2027, 7, 16), template=TEMPLATE, calendar=calendar
    )
    dues = {m.name: m.due for m in found}
    assert dues["Code freeze"] == date(2027, 7, 1)  # T-10
    assert dues["Feature complete"] == date(2027, 6, 11)  # T-24


def test_country_holidays_are_not_business_days():
    calendar = schedule.calendar_for(country="US", years=[2027], own_dates=[date(2027, 7, 6)])
    assert not calendar.is_business_day(date(2027, 7, 5))  # Independence Day, observed
    assert not calendar.is_business_day(date(2027, 7, 6))  # the team's own day
    assert calendar.shift(date(2027, 7, 7), -1) == date(2027, 7, 2)


def test_slip_days_count_business_days():
    assert (
        schedule.slip_days(
            planned=date(2027, 7, 15), actual=date(2027, 7, 19), calendar=WEEKENDS_ONLY
        )
        == 2
    )
    assert (
        schedule.slip_days(
            planned=date(2027, 7, 15), actual=date(2027, 7, 14), calendar=WEEKENDS_ONLY
        )
        == 0
    )


def test_reminders_fire_at_nine_local_business_days_before():
    berlin = ZoneInfo("Europe/Berlin")
    at = schedule.reminder_at(
        due=date(2027, 7, 12), days_before=1, zone=berlin, calendar=WEEKENDS_ONLY
    )
    assert at.date() == date(2027, 7, 9)
    assert (at.hour, at.minute, at.tzinfo) == (9, 0, berlin)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31",  # never fires
        "FREQ=DAILY",  # too fine
        "FREQ=FORTNIGHTLY",
        "not a rule",
        "",
        "FREQ=MONTHLY;COUNT=1\nRRULE:FREQ=WEEKLY",
    ],
)
def test_bad_rules_are_refused_in_words(rule):
    with pytest.raises(RuleError):
        schedule.rule_check(rule, date(2027, 1, 1))


def test_a_rule_that_ended_before_the_start_never_fires():
    with pytest.raises(RuleError, match="never fires"):
        schedule.rule_check("FREQ=MONTHLY;UNTIL=20260101T000000", date(2027, 1, 1))


def test_versions_follow_the_pattern():
    assert schedule.next_version("10.4.0", "next-minor") == "10.5.0"
    assert schedule.next_version("10.4.2", "next-patch") == "10.4.3"
