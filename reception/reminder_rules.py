"""When each reminder, list and alert is due, and when one is no longer worth sending.

Pure: moments come from the profile's reminder times and the working calendar, always in
Asia/Almaty (R35); nothing here reads the database or the clock. The job runner asks
`*_drop_reason` right before it acts, so a job that was missed while the process was down
still runs when it is back, unless its moment has gone (the reception is over): then it is
dropped with the reason recorded on the job instead of being sent late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from reception.calendar import WorkingCalendar
from reception.clock import ALMATY, local_date
from reception.deadlines import Deadlines
from reception.profile import Profile, Reminders

# Job kinds. Stored in jobs.kind: renaming one needs a data migration.
BOOKING_CONFIRMED = "citizen.booking-confirmed"  # what to bring + the .ics file
DAY_BEFORE = "citizen.day-before"  # 1 working day before, citizen_day_before_time
HOURS_BEFORE = "citizen.hours-before"  # citizen_hours_before hours before the slot
SLOT_OFFER = "citizen.slot-offer"  # R12: new free slots, one tap each
FIX_RETURN = "citizen.fix-return"  # R17: not fixed in time, returned
SATISFACTION = "citizen.satisfaction"  # R29: 1-5 after the reception
DAY_LIST = "official.day-list"  # R25: 1 working day before, day_list_time
DAY_LIST_UPDATE = "official.day-list-update"  # a booking added or cancelled after the list
MORNING = "official.morning"  # the morning of the reception day
DIGEST = "staff.digest"  # R31: the daily digest of deadlines

# Why a job was dropped (jobs.last_error of a 'dropped' job).
RECEPTION_OVER = "reception-over"
SUPERSEDED = "superseded-by-later-reminder"
NOT_BOOKED = "no-longer-booked-in-this-slot"
NOT_RESCHEDULED = "no-longer-awaiting-a-new-slot"
DAY_CANCELLED = "day-cancelled"
DAY_OVER = "day-over"
NOT_AWAITING_FIX = "no-longer-awaiting-fix"
FIX_PERIOD_CHANGED = "fix-period-changed"
NOT_ATTENDED = "reception-not-attended"
DIGEST_DAY_OVER = "digest-day-over"
OFFICIAL_NOT_LINKED = "official-not-linked"


def local_moment(day: date, at: time) -> datetime:
    """`day` at the wall-clock time `at` in Asia/Almaty."""
    return datetime.combine(day, at, tzinfo=ALMATY)


# -- keys: a keyed job is scheduled once, so rescheduling never doubles ---------------------


def booking_key(request_id: int, slot_id: int) -> str:
    return f"booking:confirmed:request:{request_id}:slot:{slot_id}"


def day_before_key(request_id: int, slot_id: int) -> str:
    return f"reminder:day-before:request:{request_id}:slot:{slot_id}"


def hours_before_key(request_id: int, slot_id: int) -> str:
    return f"reminder:hours-before:request:{request_id}:slot:{slot_id}"


def slot_offer_key(request_id: int, changed_at: datetime) -> str:
    return f"slot-offer:request:{request_id}:at:{changed_at.timestamp():.0f}"


def fix_return_key(request_id: int, fix_due: date) -> str:
    return f"fix-return:request:{request_id}:due:{fix_due.isoformat()}"


def satisfaction_key(request_id: int) -> str:
    return f"satisfaction:request:{request_id}"


def day_list_key(day_id: int) -> str:
    return f"day-list:day:{day_id}"


def morning_key(day_id: int) -> str:
    return f"morning:day:{day_id}"


def day_list_update_key(day_id: int, request_id: int, version: int) -> str:
    return f"day-list-update:day:{day_id}:request:{request_id}:v{version}"


def digest_key(day: date) -> str:
    return f"digest:{day.isoformat()}"


# -- when ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReminderTimes:
    """The moments of one profile; built once per process from `Rules`."""

    profile: Profile
    calendar: WorkingCalendar
    deadlines: Deadlines

    @property
    def _reminders(self) -> Reminders:
        return self.profile.reminders

    def day_before(self, slot_start: datetime) -> datetime:
        """1 working day before the reception, at citizen_day_before_time."""
        day = self.calendar.subtract_working_days(local_date(slot_start), 1)
        return local_moment(day, self._reminders.citizen_day_before_time)

    def hours_before(self, slot_start: datetime) -> datetime:
        return slot_start - timedelta(hours=self._reminders.citizen_hours_before)

    def citizen_reminders(
        self, slot_start: datetime, booked_at: datetime
    ) -> list[tuple[str, datetime]]:
        """The citizen's reminders still ahead when the booking is made: one whose moment
        has already passed would only repeat the confirmation just sent."""
        moments = [
            (DAY_BEFORE, self.day_before(slot_start)),
            (HOURS_BEFORE, self.hours_before(slot_start)),
        ]
        return [(kind, at) for kind, at in moments if booked_at < at < slot_start]

    def day_list(self, reception_day: date) -> datetime:
        """R25 (004 §183): 1 working day before the reception, at day_list_time."""
        due = self.deadlines.day_list_due(reception_day)
        return local_moment(due, self._reminders.day_list_time)

    def morning(self, reception_day: date) -> datetime:
        return local_moment(reception_day, self._reminders.official_morning_time)

    def digest(self, day: date) -> datetime:
        return local_moment(day, self._reminders.staff_digest_time)

    def fix_return(self, fix_due: date) -> datetime:
        """R17: the period includes `fix_due`; the request goes back the next morning."""
        return local_moment(fix_due + timedelta(days=1), self.profile.hours.start)

    def digest_days(self, start: date, end: date) -> list[date]:
        """Working days in [start, end]: the digest is for days the office works (R34)."""
        days, day = [], start
        while day <= end:
            if self.calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days


# -- what to drop -------------------------------------------------------------------------


def citizen_reminder_drop_reason(
    kind: str, now: datetime, slot_start: datetime, times: ReminderTimes
) -> str | None:
    """A reminder after the reception began is pointless; a day-before reminder that comes
    so late that the hours-before one is also due is replaced by it (one message, not two)."""
    if now >= slot_start:
        return RECEPTION_OVER
    if kind == DAY_BEFORE and now >= times.hours_before(slot_start):
        return SUPERSEDED
    return None


def official_drop_reason(
    kind: str, now: datetime, day_ends: datetime, morning_at: datetime, cancelled: bool
) -> str | None:
    """The day list, its updates and the morning summary are for a day not yet over. A day
    list so late that the morning summary is due is left to the summary, which lists all."""
    if cancelled:
        return DAY_CANCELLED
    if now >= day_ends:
        return DAY_OVER
    if kind == DAY_LIST and now >= morning_at:
        return SUPERSEDED
    return None


def digest_drop_reason(now: datetime, digest_day: date) -> str | None:
    """A digest missed for a whole day is not sent the day after: that day has its own."""
    return DIGEST_DAY_OVER if local_date(now) > digest_day else None
