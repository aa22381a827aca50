"""The Kazakhstan working calendar (R20, R32, R34, R35) over 2025-2027.

Expected dates were worked out by hand from the law on holidays (Labour Code art. 85: a
holiday on a weekend moves to the next working day, Orthodox Christmas and Kurban ait do not)
and the government decrees moving days off; the code must agree with them.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta

import pytest

from reception.calendar import WorkingCalendar, add_months
from reception.clock import ALMATY
from reception.profile import CalendarOverrides, load_profile

KZ = WorkingCalendar()


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def almaty(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=ALMATY)


# -- R35: the time zone -----------------------------------------------------------------------


def test_r35_almaty_is_utc_plus_5_since_march_2024() -> None:
    moment = datetime(2026, 11, 22, 12, 0, tzinfo=UTC).astimezone(ALMATY)
    assert (moment.hour, moment.minute) == (17, 0)
    assert moment.utcoffset() == timedelta(hours=5)


# -- R35: holidays and moved days ---------------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_r35_new_year_1_and_2_january_are_days_off(year: int) -> None:
    assert not KZ.is_working_day(date(year, 1, 1))
    assert not KZ.is_working_day(date(year, 1, 2))


def test_r35_new_year_on_saturday_2027_gives_monday_4_january_off() -> None:
    assert not KZ.is_working_day(date(2027, 1, 4))
    assert KZ.next_working_day(date(2027, 1, 1)) == date(2027, 1, 5)


def test_r35_2025_friday_3_january_off_moved_from_sunday_5_january_which_is_worked() -> None:
    # Government decree for 2025: the day off of Sunday 5 January moved to Friday 3 January.
    assert date(2025, 1, 5).weekday() == 6
    assert not KZ.is_working_day(date(2025, 1, 3))
    assert KZ.is_working_day(date(2025, 1, 5))
    assert [d for d in days(date(2024, 12, 31), date(2025, 1, 8)) if KZ.is_working_day(d)] == [
        date(2024, 12, 31),
        date(2025, 1, 5),
        date(2025, 1, 6),
        date(2025, 1, 8),  # 7 January, Orthodox Christmas, is off
    ]


def test_r35_2024_saturday_4_may_worked_for_wednesday_8_may_off() -> None:
    assert KZ.is_working_day(date(2024, 5, 4))
    assert not KZ.is_working_day(date(2024, 5, 8))


@pytest.mark.parametrize(
    ("year", "last_day_off"),
    [(2025, date(2025, 3, 25)), (2026, date(2026, 3, 25)), (2027, date(2027, 3, 24))],
)
def test_r35_nauryz_21_23_march_plus_moved_weekend_days(year: int, last_day_off: date) -> None:
    # 2025: 21 Fri, 22-23 weekend -> 24, 25 off. 2026: 21-22 weekend, 23 Mon -> 24, 25 off.
    # 2027: 21 Sunday -> 24 Wednesday off; 25 March is worked.
    for day in days(date(year, 3, 21), last_day_off):
        assert not KZ.is_working_day(day), day
    assert KZ.is_working_day(last_day_off + timedelta(days=1))
    assert KZ.is_working_day(date(year, 3, 20)) or date(year, 3, 20).weekday() >= 5


def test_r35_holidays_on_a_weekend_move_to_monday() -> None:
    assert not KZ.is_working_day(date(2025, 3, 10))  # 8 March 2025 is a Saturday
    assert not KZ.is_working_day(date(2025, 7, 7))  # Capital Day, Sunday 6 July 2025
    assert not KZ.is_working_day(date(2026, 3, 9))  # 8 March 2026 is a Sunday
    assert not KZ.is_working_day(date(2026, 5, 11))  # Victory Day, Saturday 9 May 2026
    assert not KZ.is_working_day(date(2027, 5, 3))  # Unity Day, Saturday 1 May 2027
    assert not KZ.is_working_day(date(2027, 5, 10))  # Victory Day, Sunday 9 May 2027


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_r35_independence_day_16_december_is_off_and_17th_is_worked(year: int) -> None:
    assert not KZ.is_working_day(date(year, 12, 16))
    assert KZ.is_working_day(date(year, 12, 17))  # 17 December is no holiday since 2022


def test_r35_constitution_day_30_august_2025_on_saturday_gives_monday_1_september() -> None:
    assert not KZ.is_working_day(date(2025, 8, 30))
    assert not KZ.is_working_day(date(2025, 9, 1))
    assert KZ.is_working_day(date(2025, 9, 2))


def test_r35_constitution_day_moves_to_15_march_from_2027() -> None:
    # The constitution of 2026 (in force 1 July 2026) moved Constitution Day to 15 March;
    # the law on holidays has no Constitution Day in 2026, so Monday 31 August 2026 is worked.
    assert not KZ.is_working_day(date(2027, 3, 15))
    assert KZ.is_working_day(date(2027, 8, 30))
    assert KZ.is_working_day(date(2026, 8, 31))


@pytest.mark.parametrize(
    ("republic_day", "day_off"),
    [
        (date(2025, 10, 25), date(2025, 10, 27)),  # Saturday -> Monday
        (date(2026, 10, 25), date(2026, 10, 26)),  # Sunday -> Monday
        (date(2027, 10, 25), date(2027, 10, 25)),  # Monday
    ],
)
def test_r35_republic_day_25_october(republic_day: date, day_off: date) -> None:
    assert not KZ.is_working_day(republic_day)
    assert not KZ.is_working_day(day_off)
    assert KZ.is_working_day(day_off + timedelta(days=1))


def test_r35_orthodox_christmas_and_kurban_ait_are_off_but_not_moved() -> None:
    assert not KZ.is_working_day(date(2025, 1, 7))
    assert not KZ.is_working_day(date(2025, 6, 6))  # Kurban ait 2025, a Friday
    assert not KZ.is_working_day(date(2026, 5, 27))  # Kurban ait 2026, a Wednesday
    assert KZ.is_working_day(date(2024, 1, 8))  # 7 January 2024 was a Sunday: not moved


def test_r35_an_ordinary_week_is_monday_to_friday() -> None:
    week = days(date(2025, 11, 10), date(2025, 11, 16))
    assert [KZ.is_working_day(d) for d in week] == [True] * 5 + [False] * 2


def test_r35_profile_extra_holidays_and_working_days_override_the_package() -> None:
    profile = dataclasses.replace(
        load_profile("typical-2023"),
        calendar=CalendarOverrides(
            extra_holidays=(date(2026, 8, 31),),  # a decree the package does not know yet
            extra_working_days=(date(2026, 3, 28), date(2026, 3, 25)),
        ),
    )
    calendar = WorkingCalendar(profile)
    assert not calendar.is_working_day(date(2026, 8, 31))
    assert calendar.is_working_day(date(2026, 3, 28))  # a Saturday made working
    assert calendar.is_working_day(date(2026, 3, 25))  # a moved day off cancelled
    assert KZ.is_working_day(date(2026, 8, 31))  # the default calendar is untouched


def test_r35_each_year_is_computed_once() -> None:
    calendar = WorkingCalendar()
    first = calendar.days_off(2026)
    assert calendar.days_off(2026) is first
    # 104 weekend days; weekdays off: 1, 2, 7 Jan; 9, 23, 24, 25 Mar; 1, 7, 11, 27 May;
    # 6 Jul; 26 Oct; 16 Dec.
    assert len(first) == 104 + 14


# -- working-day arithmetic -----------------------------------------------------------------------


def test_next_working_day_is_the_same_day_when_working() -> None:
    assert KZ.next_working_day(date(2025, 11, 12)) == date(2025, 11, 12)
    assert KZ.next_working_day(date(2025, 3, 21)) == date(2025, 3, 26)


def test_previous_working_day_skips_back_over_holidays() -> None:
    assert KZ.previous_working_day(date(2026, 3, 25)) == date(2026, 3, 20)
    assert KZ.previous_working_day(date(2026, 3, 26)) == date(2026, 3, 26)


def test_add_working_days_counts_from_the_day_after() -> None:
    assert KZ.add_working_days(date(2025, 11, 10), 1) == date(2025, 11, 11)
    assert KZ.add_working_days(date(2025, 11, 14), 1) == date(2025, 11, 17)  # over a weekend
    assert KZ.add_working_days(date(2025, 3, 20), 1) == date(2025, 3, 26)  # over Nauryz
    assert KZ.add_working_days(date(2025, 3, 22), 0) == date(2025, 3, 26)
    assert KZ.add_working_days(date(2025, 11, 12), 0) == date(2025, 11, 12)


def test_add_working_days_uses_a_worked_sunday() -> None:
    assert KZ.add_working_days(date(2025, 1, 2), 1) == date(2025, 1, 5)


def test_subtract_working_days_is_the_mirror_of_add() -> None:
    assert KZ.subtract_working_days(date(2025, 3, 26), 1) == date(2025, 3, 20)
    assert KZ.subtract_working_days(date(2025, 1, 6), 1) == date(2025, 1, 5)
    assert KZ.subtract_working_days(date(2025, 12, 17), 2) == date(2025, 12, 12)
    for start in days(date(2025, 12, 1), date(2026, 1, 31)):
        if KZ.is_working_day(start):
            assert KZ.subtract_working_days(KZ.add_working_days(start, 7), 7) == start


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        KZ.add_working_days(date(2025, 1, 1), -1)
    with pytest.raises(ValueError):
        KZ.subtract_working_days(date(2025, 1, 1), -1)


def test_working_days_between_counts_after_start_up_to_end() -> None:
    assert KZ.working_days_between(date(2025, 3, 20), date(2025, 3, 26)) == 1
    assert KZ.working_days_between(date(2025, 11, 10), date(2025, 11, 17)) == 5
    assert KZ.working_days_between(date(2025, 11, 17), date(2025, 11, 10)) == 0
    assert KZ.working_days_between(date(2025, 11, 10), date(2025, 11, 10)) == 0
    # 247 working days in 2026 (246 in calendars published before 31 August stopped being
    # Constitution Day's day off).
    assert KZ.working_days_between(date(2026, 1, 1), date(2026, 12, 31)) == 365 - 118


def test_r32_a_calendar_term_ending_on_a_holiday_ends_on_the_next_working_day() -> None:
    # 30 calendar days from 19 February 2025 is Friday 21 March, Nauryz.
    end = date(2025, 2, 19) + timedelta(days=30)
    assert end == date(2025, 3, 21)
    assert KZ.next_working_day(end) == date(2025, 3, 26)


def test_add_months_clamps_to_the_last_day_of_the_month() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 12, 31), 2) == date(2026, 2, 28)
    assert add_months(date(2025, 3, 15), 12) == date(2026, 3, 15)
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)


# -- R20: registration date ---------------------------------------------------------------------


def test_r20_request_on_a_working_day_is_registered_that_day() -> None:
    assert KZ.registration_date(almaty(2025, 12, 12, 23, 30)) == date(2025, 12, 12)


def test_r20_request_on_saturday_is_registered_monday() -> None:
    assert KZ.registration_date(almaty(2025, 11, 15, 11)) == date(2025, 11, 17)


def test_r20_request_during_nauryz_is_registered_after_it() -> None:
    assert KZ.registration_date(almaty(2026, 3, 22, 9)) == date(2026, 3, 26)


def test_r20_the_day_is_taken_in_almaty_time_not_utc() -> None:
    # 20:30 UTC on Friday is 01:30 on Saturday in Almaty: registered on Monday.
    assert KZ.registration_date(datetime(2025, 12, 12, 20, 30, tzinfo=UTC)) == date(2025, 12, 15)
    assert KZ.registration_date(datetime(2025, 12, 12, 18, 59, tzinfo=UTC)) == date(2025, 12, 12)


def test_r20_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError):
        KZ.registration_date(datetime(2025, 12, 12, 10, 0))


# -- R34: working hours -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clock", "working"),
    [
        (time(8, 59), False),
        (time(9, 0), True),
        (time(12, 59), True),
        (time(13, 0), False),
        (time(14, 59), False),
        (time(15, 0), True),
        (time(18, 59), True),
        (time(19, 0), False),
    ],
)
def test_r34_working_hours_09_19_with_lunch_13_15(clock: time, working: bool) -> None:
    moment = datetime.combine(date(2025, 12, 9), clock, tzinfo=ALMATY)
    assert KZ.is_working_time(moment) is working


def test_r34_a_holiday_has_no_working_hours() -> None:
    assert not KZ.is_working_time(almaty(2025, 12, 16, 10))
    assert KZ.is_working_time(almaty(2025, 1, 5, 10))  # the worked Sunday


def test_r34_working_time_is_judged_in_almaty_time() -> None:
    assert KZ.is_working_time(datetime(2025, 12, 9, 4, 0, tzinfo=UTC))  # 09:00 Almaty
    assert not KZ.is_working_time(datetime(2025, 12, 9, 3, 59, tzinfo=UTC))


def test_r34_next_working_moment_tells_when_operators_answer() -> None:
    assert KZ.next_working_moment(almaty(2025, 12, 9, 10)) == almaty(2025, 12, 9, 10)
    assert KZ.next_working_moment(almaty(2025, 12, 9, 7)) == almaty(2025, 12, 9, 9)
    assert KZ.next_working_moment(almaty(2025, 12, 9, 13, 30)) == almaty(2025, 12, 9, 15)
    # Monday evening before Independence Day: Wednesday morning.
    assert KZ.next_working_moment(almaty(2025, 12, 15, 19, 30)) == almaty(2025, 12, 17, 9)
    # Friday evening before Nauryz 2025: Wednesday 26 March.
    assert KZ.next_working_moment(almaty(2025, 3, 20, 20)) == almaty(2025, 3, 26, 9)


def test_r34_next_working_moment_answers_in_almaty_time() -> None:
    result = KZ.next_working_moment(datetime(2025, 12, 13, 6, 0, tzinfo=UTC))  # Saturday
    assert result == almaty(2025, 12, 15, 9)
    assert result.utcoffset() == timedelta(hours=5)


def test_r34_hours_come_from_the_profile() -> None:
    base = load_profile("typical-2023")
    hours = dataclasses.replace(base.hours, start=time(8, 0), lunch_start=time(12, 0))
    calendar = WorkingCalendar(dataclasses.replace(base, hours=hours))
    assert calendar.is_working_time(almaty(2025, 12, 9, 8, 30))
    assert not calendar.is_working_time(almaty(2025, 12, 9, 12, 30))
    assert calendar.next_working_moment(almaty(2025, 12, 9, 12, 30)) == almaty(2025, 12, 9, 15)
