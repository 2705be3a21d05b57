"""Every date rule of the survey calendar, with the day passed in explicitly (no frozen clock needed)."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.questionnaire.schedule import add_months, days_left, due_on, local_day, past_catch_up, schedule_for
from workshops.models import Workshop, fiscal_year_of

D = dt.date


def workshop(end: dt.date, start: dt.date | None = None, **overrides) -> Workshop:
    # Unsaved: the schedule is computed from the row's fields alone.
    return Workshop(start_date=start or end, end_date=end, **overrides)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2019, 8, 31), 6, D(2020, 2, 29)),  # leap year: 29 February
        (D(2020, 8, 31), 6, D(2021, 2, 28)),  # common year: 28 February
        (D(2019, 12, 31), 6, D(2020, 6, 30)),  # 31 -> 30
        (D(2019, 12, 5), 6, D(2020, 6, 5)),
        (D(2019, 7, 15), 6, D(2020, 1, 15)),  # across the new year
        (D(2020, 2, 29), 12, D(2021, 2, 28)),
        (D(2019, 10, 31), 0, D(2019, 10, 31)),
    ],
)
def test_add_months_keeps_calendar_months(day, months, expected):
    assert add_months(day, months) == expected


def test_default_schedule_of_a_workshop():
    schedule = schedule_for(workshop(D(2019, 12, 5), start=D(2019, 12, 2)))
    assert schedule.invitation == D(2020, 6, 5)
    assert schedule.due == D(2020, 6, 26)
    assert schedule.reminders == (D(2020, 6, 19), D(2020, 6, 24))
    assert schedule.feedback == D(2020, 6, 27)


def test_month_end_workshop_is_invited_at_the_end_of_february():
    schedule = schedule_for(workshop(D(2019, 8, 31)))
    assert schedule.invitation == D(2020, 2, 29)
    assert schedule.due == D(2020, 3, 21)


def test_fiscal_year_boundary_the_schedule_follows_the_end_date():
    # Starts in FY2019/20 (29 June), ends in the next FY: it belongs to FY2019/20, invited 6 months after its end.
    crossing = workshop(D(2020, 7, 1), start=D(2020, 6, 29))
    assert fiscal_year_of(crossing.start_date) == 2019
    assert schedule_for(crossing).invitation == D(2021, 1, 1)
    assert schedule_for(workshop(D(2020, 6, 30))).invitation == D(2020, 12, 30)


def test_overrides_move_the_dates_that_follow(settings):
    w = workshop(D(2019, 12, 5), invitation_date_override=D(2020, 7, 1))
    schedule = schedule_for(w)
    assert (schedule.invitation, schedule.due, schedule.feedback) == (D(2020, 7, 1), D(2020, 7, 22), D(2020, 7, 23))
    w.due_date_override = D(2020, 8, 31)
    assert schedule_for(w).reminders == (D(2020, 8, 24), D(2020, 8, 29))
    w.feedback_date_override = D(2020, 9, 15)
    assert schedule_for(w).feedback == D(2020, 9, 15)


def test_settings_change_the_rules(settings):
    settings.SURVEY_DELAY_MONTHS = 3
    settings.SURVEY_REPLY_DAYS = 5
    settings.SURVEY_REMINDER_DAYS = [2, 7]
    schedule = schedule_for(workshop(D(2019, 12, 5)))
    assert schedule.invitation == D(2020, 3, 5)
    assert schedule.due == D(2020, 3, 10)
    # A reminder 7 days before the due date would come before the invitation: dropped.
    assert schedule.reminders == (D(2020, 3, 8),)


def test_days_are_counted_in_the_office_time_zone(settings):
    settings.TIME_ZONE = "Asia/Bangkok"
    evening_utc = dt.datetime(2020, 6, 4, 17, 30, tzinfo=dt.UTC)  # 00:30 on 5 June in Bangkok
    assert local_day(evening_utc) == D(2020, 6, 5)
    w = workshop(D(2019, 12, 5))
    assert due_on(w, local_day(evening_utc)).invitation is True
    assert due_on(w, local_day(evening_utc - dt.timedelta(hours=1))).invitation is False
    # A reply at 23:30 Bangkok time on the due date is on time; 30 minutes later it is late.
    schedule = schedule_for(w)
    on_time = dt.datetime(2020, 6, 26, 16, 30, tzinfo=dt.UTC)
    assert not schedule.is_late(on_time)
    assert schedule.is_late(on_time + dt.timedelta(hours=1))
    settings.TIME_ZONE = "UTC"
    with timezone.override("UTC"):
        assert local_day(evening_utc) == D(2020, 6, 4)


def test_invitation_catch_up_window_and_release():
    w = workshop(D(2019, 12, 5))  # invitation 5 June 2020
    assert not due_on(w, D(2020, 6, 4)).invitation
    assert due_on(w, D(2020, 6, 5)).invitation
    assert due_on(w, D(2020, 6, 19)).invitation  # 14 days late: still sent
    assert not due_on(w, D(2020, 6, 20)).invitation
    assert past_catch_up(w, D(2020, 6, 20)) and not past_catch_up(w, D(2020, 6, 19))
    w.invitations_released_at = timezone.now()
    assert due_on(w, D(2021, 3, 1)).invitation


def test_reminders_latest_only_until_the_due_date():
    w = workshop(D(2019, 12, 5))  # reminders 19 and 24 June, due 26 June
    assert due_on(w, D(2020, 6, 18)).reminder is None
    assert due_on(w, D(2020, 6, 19)).reminder == 1
    assert due_on(w, D(2020, 6, 23)).reminder == 1
    assert due_on(w, D(2020, 6, 24)).reminder == 2
    assert due_on(w, D(2020, 6, 26)).reminder == 2
    assert due_on(w, D(2020, 6, 27)).reminder is None
    assert days_left(w, D(2020, 6, 19)) == 7


def test_feedback_from_the_day_after_the_due_date_within_the_window():
    w = workshop(D(2019, 12, 5))  # feedback 27 June
    assert not due_on(w, D(2020, 6, 26)).feedback
    assert due_on(w, D(2020, 6, 27)).feedback
    assert due_on(w, D(2020, 7, 11)).feedback
    assert not due_on(w, D(2020, 7, 12)).feedback


@pytest.mark.parametrize(
    ("kind", "day", "passed"),
    [
        ("invitation", D(2020, 6, 26), False),  # on the due date: still true ("by today")
        ("invitation", D(2020, 6, 27), True),
        ("reminder-2", D(2020, 6, 26), False),
        ("reminder-2", D(2020, 6, 27), True),
        ("feedback", D(2020, 7, 11), False),  # the feedback's catch-up window: 14 days after 27 June
        ("feedback", D(2020, 7, 12), True),
        ("link", D(2030, 1, 1), False),  # "the due date has passed, but your reply is still welcome"
    ],
)
def test_a_message_whose_moment_passed_is_named(kind, day, passed):
    from surveys.questionnaire.schedule import moment_passed

    reason = moment_passed(workshop(D(2019, 12, 5)), kind, day)  # invited 5 June 2020, due 26 June
    assert bool(reason) is passed
    if passed:
        assert "passed before it went out" in reason
