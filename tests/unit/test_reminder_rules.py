"""When reminders, day lists and digests are due, and when one is dropped (issue 5; R25,
R31, R35); the .ics file they attach (RFC 5545). Pure: no database, no clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.ics import CalendarEvent, escape_text, fold, render_event
from reception import reminder_rules as rr
from reception.calendar import WorkingCalendar
from reception.clock import ALMATY
from reception.deadlines import Deadlines
from reception.profile import load_profile
from reception.reminder_rules import ReminderTimes, local_moment

PROFILE = load_profile("typical-2023")
CALENDAR = WorkingCalendar(PROFILE)
TIMES = ReminderTimes(PROFILE, CALENDAR, Deadlines(CALENDAR, PROFILE))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ALMATY)


@pytest.mark.parametrize(
    ("reception", "reminded"),
    [
        (date(2026, 3, 19), date(2026, 3, 18)),  # Thursday: the day before
        (date(2026, 3, 26), date(2026, 3, 20)),  # after Nauryz (21-25 March off)
        (date(2026, 3, 30), date(2026, 3, 27)),  # Monday: Friday
        (date(2025, 1, 6), date(2025, 1, 5)),  # the Sunday made working
        (date(2025, 1, 5), date(2024, 12, 31)),  # that Sunday: 1-4 January are off
    ],
)
def test_the_citizen_is_reminded_one_working_day_before_at_ten(
    reception: date, reminded: date
) -> None:
    assert TIMES.day_before(at(reception, 10)) == at(reminded, 10)


def test_the_hours_before_reminder_uses_the_profiles_hours() -> None:
    assert TIMES.hours_before(at(date(2026, 3, 26), 10, 20)) == at(date(2026, 3, 26), 8, 20)


def test_r25_the_day_list_goes_one_working_day_before_at_sixteen_in_almaty() -> None:
    moment = TIMES.day_list(date(2026, 3, 26))
    assert moment == at(date(2026, 3, 20), 16)
    assert moment.astimezone(UTC).hour == 11  # UTC+5 since 1 March 2024 (R35)
    assert TIMES.morning(date(2026, 3, 26)) == at(date(2026, 3, 26), 8, 30)
    assert TIMES.digest(date(2026, 3, 26)) == at(date(2026, 3, 26), 9)


def test_r17_a_request_not_fixed_by_its_period_returns_the_next_morning() -> None:
    assert TIMES.fix_return(date(2026, 3, 4)) == at(date(2026, 3, 5), 9)


def test_digests_are_for_working_days_only() -> None:
    assert TIMES.digest_days(date(2026, 3, 19), date(2026, 3, 27)) == [
        date(2026, 3, 19),
        date(2026, 3, 20),
        date(2026, 3, 26),
        date(2026, 3, 27),
    ]


def test_a_booking_made_after_a_reminders_moment_skips_that_reminder() -> None:
    slot = at(date(2026, 3, 19), 10)
    assert [k for k, _ in TIMES.citizen_reminders(slot, at(date(2026, 3, 16), 9))] == [
        rr.DAY_BEFORE,
        rr.HOURS_BEFORE,
    ]
    assert [k for k, _ in TIMES.citizen_reminders(slot, at(date(2026, 3, 18), 15))] == [
        rr.HOURS_BEFORE
    ]
    assert TIMES.citizen_reminders(slot, at(date(2026, 3, 19), 9)) == []


@pytest.mark.parametrize(
    ("kind", "now", "reason"),
    [
        (rr.DAY_BEFORE, at(date(2026, 3, 18), 10), None),
        (rr.DAY_BEFORE, at(date(2026, 3, 18), 23), None),  # late, still useful
        (rr.DAY_BEFORE, at(date(2026, 3, 19), 8, 1), rr.SUPERSEDED),  # the 2 h one is due
        (rr.HOURS_BEFORE, at(date(2026, 3, 19), 9, 59), None),
        (rr.HOURS_BEFORE, at(date(2026, 3, 19), 10), rr.RECEPTION_OVER),
    ],
)
def test_a_citizens_reminder_is_dropped_once_its_moment_is_gone(
    kind: str, now: datetime, reason: str | None
) -> None:
    slot = at(date(2026, 3, 19), 10)
    assert rr.citizen_reminder_drop_reason(kind, now, slot, TIMES) == reason


def test_an_officials_list_is_dropped_when_the_day_is_over_cancelled_or_superseded() -> None:
    ends, morning = at(date(2026, 3, 19), 12), at(date(2026, 3, 19), 8, 30)
    drop = rr.official_drop_reason
    assert drop(rr.DAY_LIST, at(date(2026, 3, 18), 16), ends, morning, False) is None
    assert drop(rr.DAY_LIST, at(date(2026, 3, 19), 8, 30), ends, morning, False) == rr.SUPERSEDED
    assert drop(rr.MORNING, at(date(2026, 3, 19), 11), ends, morning, False) is None
    assert drop(rr.MORNING, at(date(2026, 3, 19), 12), ends, morning, False) == rr.DAY_OVER
    assert drop(rr.DAY_LIST, at(date(2026, 3, 18), 16), ends, morning, True) == rr.DAY_CANCELLED
    assert rr.digest_drop_reason(at(date(2026, 3, 20), 0), date(2026, 3, 19)) == rr.DIGEST_DAY_OVER
    assert rr.digest_drop_reason(at(date(2026, 3, 19), 18), date(2026, 3, 19)) is None


def test_keys_name_the_request_and_slot_so_a_new_slot_is_a_new_reminder() -> None:
    assert rr.day_before_key(42, 7) == "reminder:day-before:request:42:slot:7"
    assert rr.day_before_key(42, 8) != rr.day_before_key(42, 7)
    assert rr.hours_before_key(42, 7) != rr.day_before_key(42, 7)


def test_local_moments_are_in_almaty() -> None:
    assert local_moment(date(2026, 3, 19), time(10)).utcoffset() == timedelta(hours=5)


# -- the .ics file (RFC 5545) ---------------------------------------------------------------


def test_ics_text_is_escaped_and_long_lines_folded_without_splitting_a_letter() -> None:
    assert escape_text("Акимат, каб. 305; вход\nсо двора\\") == (
        "Акимат\\, каб. 305\\; вход\\nсо двора\\\\"
    )
    line = "DESCRIPTION:" + "Жеке басыңызды куәландыратын құжатты алыңыз. " * 4
    folded = fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1 and all(len(p.encode()) <= 75 for p in parts)
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_ics_event_has_utc_times_crlf_lines_and_an_alarm() -> None:
    event = CalendarEvent(
        uid="request-1-slot-2@reception",
        starts_at=at(date(2026, 3, 26), 10),
        ends_at=at(date(2026, 3, 26), 10, 20),
        summary="Жеке қабылдау",
        location="Әкімдік, 305",
        description="Құжат",
        stamp=datetime(2026, 3, 16, 4, 0, tzinfo=UTC),
        alarm_minutes=120,
    )
    text = render_event(event)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert "DTSTART:20260326T050000Z\r\n" in text and "DTEND:20260326T052000Z\r\n" in text
    assert "LOCATION:Әкімдік\\, 305\r\n" in text and "TRIGGER:-PT120M\r\n" in text
    assert "\n" not in text.replace("\r\n", "")
