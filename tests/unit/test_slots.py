"""Slots, free-slot search, format, the day list and cancelling a day (R9, R10, R12, R22, R34)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from reception.calendar import WorkingCalendar
from reception.clock import ALMATY
from reception.daylist import cancel_day, day_list_order, is_priority
from reception.deadlines import Deadlines
from reception.errors import ValidationFailed
from reception.notifications import NoticeKind
from reception.profile import Profile
from reception.requests import BookingRequest, ReceptionFormat, Status
from reception.schedule import ReceptionDay, Slot
from reception.slots import UNSTORED_DAY_ID, effective_format, free_slots, generate_slots
from tests.unit.conftest import CITIZEN, NOW, STAFF, new_request, rules_for

THURSDAY = date(2025, 11, 20)


def _day(
    day: date = THURSDAY, starts: time = time(10), ends: time = time(17), **changes: Any
) -> ReceptionDay:
    reception_day = ReceptionDay(10, day, starts, ends, "101 каб.", "каб. 101", id=3)
    return dataclasses.replace(reception_day, **changes)


def _times(slots: list[Slot]) -> list[str]:
    return [f"{s.starts_at:%H:%M}-{s.ends_at:%H:%M}" for s in slots]


# -- generation (R34) ----------------------------------------------------------------------------


def test_r34_slots_never_cross_lunch(profile: Profile, calendar: WorkingCalendar) -> None:
    slots = generate_slots(_day(starts=time(12), ends=time(16), slot_minutes=40), profile, calendar)
    # 12:00-12:40, 12:40-13:20 would cross 13:00; after lunch from 15:00.
    assert _times(slots) == ["12:00-12:40", "15:00-15:40"]


def test_r34_slots_stay_inside_working_hours(profile: Profile, calendar: WorkingCalendar) -> None:
    slots = generate_slots(_day(starts=time(8), ends=time(20), slot_minutes=60), profile, calendar)
    assert _times(slots) == [
        "09:00-10:00",
        "10:00-11:00",
        "11:00-12:00",
        "12:00-13:00",
        "15:00-16:00",
        "16:00-17:00",
        "17:00-18:00",
        "18:00-19:00",
    ]


def test_r34_slots_are_aware_in_almaty_and_belong_to_the_day(
    profile: Profile, calendar: WorkingCalendar
) -> None:
    slots = generate_slots(_day(), profile, calendar)
    assert len(slots) == 3 * 3 + 2 * 3  # 10:00-13:00 and 15:00-17:00 by 20 minutes
    assert all(s.starts_at.tzinfo is ALMATY and s.reception_day_id == 3 for s in slots)
    assert slots[0].starts_at == datetime(2025, 11, 20, 10, tzinfo=ALMATY)
    assert slots[0].starts_at.utcoffset() == timedelta(hours=5)  # R35: UTC+5
    assert slots[-1].ends_at == datetime(2025, 11, 20, 17, tzinfo=ALMATY)


def test_slots_of_a_day_not_yet_stored_wait_for_its_id(profile: Profile) -> None:
    slots = generate_slots(_day(id=None), profile)
    assert {s.reception_day_id for s in slots} == {UNSTORED_DAY_ID}


@pytest.mark.parametrize(
    ("day", "message_id"),
    [
        (date(2025, 11, 22), "error-day-not-working"),  # Saturday
        (date(2025, 12, 16), "error-day-not-working"),  # Independence Day
        (date(2025, 10, 27), "error-day-not-working"),  # Republic Day moved from Saturday
    ],
)
def test_r35_reception_on_a_day_off_is_refused(
    profile: Profile, calendar: WorkingCalendar, day: date, message_id: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        generate_slots(_day(day), profile, calendar)
    assert refused.value.message_id == message_id


@pytest.mark.parametrize(
    ("window", "minutes", "message_id"),
    [
        ((time(13), time(15)), 20, "error-day-no-slots"),  # all lunch
        ((time(19), time(21)), 20, "error-day-no-slots"),  # after hours
        ((time(10), time(10, 15)), 20, "error-day-no-slots"),  # shorter than a slot
        ((time(12), time(10)), 20, "error-day-window"),
        ((time(10), time(12)), 0, "error-slot-length"),
    ],
)
def test_r34_a_window_without_room_for_a_slot_is_refused(
    profile: Profile,
    calendar: WorkingCalendar,
    window: tuple[time, time],
    minutes: int,
    message_id: str,
) -> None:
    day = _day(starts=window[0], ends=window[1], slot_minutes=minutes)
    with pytest.raises(ValidationFailed) as refused:
        generate_slots(day, profile, calendar)
    assert refused.value.message_id == message_id


def test_r12_cancelled_day_gets_no_slots(profile: Profile, calendar: WorkingCalendar) -> None:
    with pytest.raises(ValidationFailed) as refused:
        generate_slots(_day(cancelled_at=NOW), profile, calendar)
    assert refused.value.message_id == "error-day-cancelled"


def test_r34_profile_hours_are_used(profile: Profile, calendar: WorkingCalendar) -> None:
    hours = dataclasses.replace(profile.hours, lunch_start=time(12), lunch_end=time(13))
    short_lunch = dataclasses.replace(profile, hours=hours)
    slots = generate_slots(
        _day(starts=time(11), ends=time(14), slot_minutes=60), short_lunch, calendar
    )
    assert _times(slots) == ["11:00-12:00", "13:00-14:00"]


# -- free slots ----------------------------------------------------------------------------------


def _stored(profile: Profile) -> list[Slot]:
    slots = generate_slots(_day(starts=time(10), ends=time(11), slot_minutes=20), profile)
    for number, slot in enumerate(slots, start=1):
        slot.id = number
    return slots


def test_free_slots_leave_out_taken_and_past_ones(profile: Profile) -> None:
    slots = _stored(profile)  # 10:00 (1), 10:20 (2), 10:40 (3)
    now = datetime(2025, 11, 20, 10, 5, tzinfo=ALMATY)
    assert [s.id for s in free_slots(reversed(slots), {3}, now)] == [2]
    assert [s.id for s in free_slots(slots, set(), NOW)] == [1, 2, 3]


def test_free_slots_respect_a_lead_time_and_cancelled_days(profile: Profile) -> None:
    slots = _stored(profile)
    now = datetime(2025, 11, 20, 9, 0, tzinfo=ALMATY)
    assert [s.id for s in free_slots(slots, (), now, lead=timedelta(hours=1, minutes=10))] == [2, 3]
    assert free_slots(slots, (), now, cancelled_day_ids={3}) == []


def test_free_slots_compare_moments_not_wall_clocks(profile: Profile) -> None:
    slots = _stored(profile)
    now_utc = datetime(2025, 11, 20, 5, 10, tzinfo=UTC)  # 10:10 in Almaty
    assert [s.id for s in free_slots(slots, (), now_utc)] == [2, 3]


# -- R10: format ---------------------------------------------------------------------------------


def test_r10_applicant_chooses_the_format(profile: Profile) -> None:
    assert effective_format(ReceptionFormat.IN_PERSON, profile) is ReceptionFormat.IN_PERSON
    assert effective_format(ReceptionFormat.VIDEO, profile) is ReceptionFormat.VIDEO


def test_r10_restrictive_mode_forces_video_conference(profile: Profile) -> None:
    restrictive = dataclasses.replace(profile, restrictive_mode=True)
    assert effective_format(ReceptionFormat.IN_PERSON, restrictive) is ReceptionFormat.VIDEO


# -- R9, R22: the day list -----------------------------------------------------------------------


def _queued(request_id: int, minutes: int | None, category: str | None = None) -> BookingRequest:
    registered_at = NOW + timedelta(minutes=minutes) if minutes is not None else None
    return new_request(id=request_id, registered_at=registered_at, priority_category=category)


def test_r9_priority_categories_first_then_queue_order(profile: Profile) -> None:
    requests = [
        _queued(1, 10),
        _queued(2, 50, "disability"),
        _queued(3, 0),
        _queued(4, 30, "pregnant"),
        _queued(5, 20),
    ]
    assert [r.id for r in day_list_order(requests, profile)] == [4, 2, 3, 1, 5]


def test_r22_same_registration_time_goes_by_id_and_unregistered_last(profile: Profile) -> None:
    requests = [_queued(9, 0), _queued(7, None), _queued(8, 0)]
    assert [r.id for r in day_list_order(requests, profile)] == [8, 9, 7]


def test_r22_queue_order_compares_moments_across_zones(profile: Profile) -> None:
    # 05:00 UTC is 10:00 in Almaty: later than 09:30 Almaty, though its clock reads earlier.
    later_utc = new_request(id=1, registered_at=datetime(2025, 11, 3, 5, 0, tzinfo=UTC))
    earlier_almaty = new_request(id=2, registered_at=datetime(2025, 11, 3, 9, 30, tzinfo=ALMATY))
    assert [r.id for r in day_list_order([later_utc, earlier_almaty], profile)] == [2, 1]


def test_r9_labour_veterans_are_not_out_of_turn_under_2020() -> None:
    veteran = _queued(1, 30, "labour-veteran")
    assert is_priority(veteran, rules_for("typical-2023")[0])
    assert not is_priority(veteran, rules_for("turkestan-2020")[0])
    order = day_list_order([veteran, _queued(2, 0)], rules_for("turkestan-2020")[0])
    assert [r.id for r in order] == [2, 1]


# -- R12: cancelling a day -----------------------------------------------------------------------


def _booked(request_id: int, deadlines: Deadlines) -> BookingRequest:
    request = new_request(id=request_id)
    request.register(f"2025-{request_id}", CITIZEN, NOW, deadlines)
    request.book(request_id, datetime(2025, 11, 20, 10, tzinfo=ALMATY), "каб. 101", STAFF, NOW)
    return request


def test_r12_cancel_day_reschedules_each_booked_request(deadlines: Deadlines) -> None:
    day = _day()
    first, second = _booked(1, deadlines), _booked(2, deadlines)
    at = datetime(2025, 11, 17, 9, tzinfo=ALMATY)
    result = cancel_day(day, [first, second], STAFF, at, "командировка", deadlines)
    assert day.cancelled_at == at and day.cancel_reason == "командировка"
    assert result.rescheduled == [first, second]
    assert {r.status for r in (first, second)} == {Status.RESCHEDULED}
    assert first.slot_id is None and second.slot_id is None
    assert [n.kind for n in result.notices] == [NoticeKind.RESCHEDULED] * 2
    assert [n.request_id for n in result.notices] == [1, 2]
    assert first.history[-1].actor == STAFF and first.history[-1].note == "командировка"


def test_r12_notice_two_working_days_before_is_in_time(deadlines: Deadlines) -> None:
    result = cancel_day(
        _day(), [], STAFF, datetime(2025, 11, 18, 18, tzinfo=ALMATY), "x", deadlines
    )
    assert result.notice_latest == date(2025, 11, 18)
    assert result.in_time


def test_r12_late_cancel_is_allowed_but_flagged(deadlines: Deadlines) -> None:
    request = _booked(1, deadlines)
    result = cancel_day(
        _day(), [request], STAFF, datetime(2025, 11, 20, 8, tzinfo=ALMATY), "болезнь", deadlines
    )
    assert not result.in_time
    assert request.status is Status.RESCHEDULED


def test_r12_late_notice_counts_working_days_over_a_weekend(deadlines: Deadlines) -> None:
    monday = _day(date(2025, 11, 24))
    friday = datetime(2025, 11, 21, 9, tzinfo=ALMATY)
    assert not cancel_day(monday, [], STAFF, friday, "x", deadlines).in_time
    thursday = datetime(2025, 11, 20, 9, tzinfo=ALMATY)
    assert cancel_day(_day(date(2025, 11, 24)), [], STAFF, thursday, "x", deadlines).in_time


def test_r12_other_live_requests_lose_the_slot_and_final_ones_are_left(
    deadlines: Deadlines,
) -> None:
    fixing = new_request(id=1, slot_id=1)
    fixing.register("2025-1", CITIZEN, NOW, deadlines)
    fixing.request_fix(["signature"], STAFF, NOW, deadlines)
    withdrawn = _booked(2, deadlines)
    withdrawn.withdraw(CITIZEN, NOW)
    result = cancel_day(_day(), [fixing, withdrawn], STAFF, NOW, "болезнь", deadlines)
    assert result.released == [fixing] and fixing.slot_id is None
    assert fixing.status is Status.NEEDS_FIX
    assert withdrawn.status is Status.WITHDRAWN and result.rescheduled == []
    assert result.notices == []


@pytest.mark.parametrize(
    ("day", "at", "reason", "message_id"),
    [
        (_day(), NOW, " ", "error-cancel-reason-empty"),
        (_day(cancelled_at=NOW), NOW, "x", "error-day-already-cancelled"),
        (_day(date(2025, 10, 30)), NOW, "x", "error-day-past"),
    ],
)
def test_r12_cancel_is_refused_without_reason_twice_or_after_the_day(
    deadlines: Deadlines, day: ReceptionDay, at: datetime, reason: str, message_id: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        cancel_day(day, [], STAFF, at, reason, deadlines)
    assert refused.value.message_id == message_id


def test_r12_a_request_of_another_official_is_a_caller_error(deadlines: Deadlines) -> None:
    stranger = _booked(1, deadlines)
    stranger.official_id = 99
    with pytest.raises(ValueError):
        cancel_day(_day(), [stranger], STAFF, NOW, "x", deadlines)
