"""Reception slots: generation inside working hours, free-slot search, format (R5, R10, R34)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime, time, timedelta

from reception.calendar import WorkingCalendar
from reception.clock import ALMATY
from reception.errors import ValidationFailed
from reception.profile import Profile
from reception.requests import ReceptionFormat
from reception.schedule import ReceptionDay, Slot

# Slots of a day not stored yet carry this id; ScheduleRepository.add_day sets the real one.
UNSTORED_DAY_ID = 0


def generate_slots(
    day: ReceptionDay, profile: Profile, calendar: WorkingCalendar | None = None
) -> list[Slot]:
    """The day's slots, `slot_minutes` long, inside both the day's window and the working
    hours, never across lunch (R34). Aware datetimes in Asia/Almaty.

    Raises ValidationFailed when the day is cancelled or not a working day (R34, R35), the
    slot length is not positive, or no whole slot fits.
    """
    calendar = calendar if calendar is not None else WorkingCalendar(profile)
    if day.cancelled_at is not None:
        raise ValidationFailed("error-day-cancelled", day=day.day)
    if not calendar.is_working_day(day.day):
        raise ValidationFailed("error-day-not-working", day=day.day)
    if day.slot_minutes <= 0:
        raise ValidationFailed("error-slot-length", minutes=day.slot_minutes)
    if day.starts >= day.ends:
        raise ValidationFailed("error-day-window", starts=day.starts, ends=day.ends)
    hours = profile.hours
    start, end = max(day.starts, hours.start), min(day.ends, hours.end)
    halves = ((start, min(end, hours.lunch_start)), (max(start, hours.lunch_end), end))
    length = timedelta(minutes=day.slot_minutes)
    day_id = day.id if day.id is not None else UNSTORED_DAY_ID
    slots: list[Slot] = []
    for first, last in halves:
        moment, stop = _at(day, first), _at(day, last)
        while moment + length <= stop:
            slots.append(Slot(day_id, moment, moment + length))
            moment += length
    if not slots:
        raise ValidationFailed("error-day-no-slots", starts=day.starts, ends=day.ends)
    return slots


def _at(day: ReceptionDay, clock: time) -> datetime:
    return datetime.combine(day.day, clock, tzinfo=ALMATY)


def free_slots(
    slots: Iterable[Slot],
    taken_slot_ids: Collection[int],
    now: datetime,
    *,
    lead: timedelta = timedelta(0),
    cancelled_day_ids: Collection[int] = (),
) -> list[Slot]:
    """Slots still open for booking, earliest first: not taken, not on a cancelled day, and
    starting later than `now + lead` (`lead` leaves staff time to prepare, e.g. R22)."""
    if now.tzinfo is None:
        raise ValueError("free_slots needs an aware datetime")
    earliest = now + lead
    return sorted(
        (
            slot
            for slot in slots
            if slot.starts_at > earliest
            and slot.id not in taken_slot_ids
            and slot.reception_day_id not in cancelled_day_ids
        ),
        key=lambda slot: (slot.starts_at, slot.id or 0),
    )


def effective_format(requested: ReceptionFormat, profile: Profile) -> ReceptionFormat:
    """R10: video-conference with the applicant's consent; under restrictive measures only
    video-conference, whatever was asked."""
    if profile.restrictive_mode:
        return ReceptionFormat.VIDEO
    return requested
