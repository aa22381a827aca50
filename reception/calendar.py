"""Working days and working hours of Kazakhstan (R20, R32, R34, R35).

Public holidays, days off moved by government decree and weekend days made working come from
the ``holidays`` package's Kazakhstan calendar; the profile adds what the package does not
know yet (``[calendar] extra_holidays`` / ``extra_working_days``). Each year is computed once
into a set of days off, so every question is one dict and one set lookup per day.
"""

from __future__ import annotations

import calendar as _gregorian
import functools
from datetime import date, datetime, time, timedelta

import holidays

from reception.clock import ALMATY
from reception.profile import DEFAULT_PROFILE, Profile, load_profile

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, _gregorian.monthrange(year, month)[1]))


@functools.cache
def _kazakhstan_days_off(year: int) -> frozenset[date]:
    """Weekends and public holidays of one year, minus the weekend days made working.

    Shared by every calendar: it depends only on the ``holidays`` package.
    """
    country = holidays.country_holidays("KZ", years=year)
    # Substituted weekend days are kept by the package across all years it knows; the days
    # moved (e.g. 3 Jan 2025 off for Sunday 5 Jan 2025) are already in the holiday list.
    working_weekend = {d for d in country.weekend_workdays if d.year == year}
    days_off = {d for d in country if d.year == year}
    day = date(year, 1, 1)
    while day.year == year:
        if day.weekday() >= _SATURDAY and day not in working_weekend:
            days_off.add(day)
        day += _ONE_DAY
    return frozenset(days_off)


class WorkingCalendar:
    """Kazakhstan's working days for one profile; no argument means the default profile."""

    def __init__(self, profile: Profile | None = None) -> None:
        self.profile = profile if profile is not None else load_profile(DEFAULT_PROFILE)
        self._extra_holidays = frozenset(self.profile.calendar.extra_holidays)
        self._extra_working = frozenset(self.profile.calendar.extra_working_days)
        self._days_off: dict[int, frozenset[date]] = {}

    # -- days ------------------------------------------------------------------------------

    def days_off(self, year: int) -> frozenset[date]:
        """Every non-working day of ``year`` (weekends included)."""
        cached = self._days_off.get(year)
        if cached is None:
            off = _kazakhstan_days_off(year)
            extra = {d for d in self._extra_holidays if d.year == year}
            if extra or self._extra_working:
                off = (off | extra) - self._extra_working
            cached = self._days_off[year] = off
        return cached

    def is_working_day(self, day: date) -> bool:
        return day not in self.days_off(day.year)

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def previous_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the last working day before it."""
        while not self.is_working_day(day):
            day -= _ONE_DAY
        return day

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after ``day``; n = 0 gives next_working_day(day).

        Terms run from the day after the event, so ``day`` itself never counts.
        """
        if n < 0:
            raise ValueError("n must not be negative; use subtract_working_days")
        if n == 0:
            return self.next_working_day(day)
        while n:
            day += _ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def subtract_working_days(self, day: date, n: int) -> date:
        """The n-th working day before ``day``; n = 0 gives previous_working_day(day)."""
        if n < 0:
            raise ValueError("n must not be negative; use add_working_days")
        if n == 0:
            return self.previous_working_day(day)
        while n:
            day -= _ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; 0 if end <= start."""
        count = 0
        day = start + _ONE_DAY
        while day <= end:
            count += self.is_working_day(day)
            day += _ONE_DAY
        return count

    def registration_date(self, received_at: datetime) -> date:
        """R20: registered on the day it arrives (Almaty time); a non-working day moves to
        the next working day. The 2020 "within 3 working days" is a due date, see Deadlines.
        """
        return self.next_working_day(_local(received_at).date())

    # -- hours (R34) -----------------------------------------------------------------------

    def is_working_time(self, moment: datetime) -> bool:
        """Working day, within the hours, not at lunch (the end of each half is exclusive)."""
        local = _local(moment)
        if not self.is_working_day(local.date()):
            return False
        now, hours = local.time(), self.profile.hours
        return hours.start <= now < hours.lunch_start or hours.lunch_end <= now < hours.end

    def next_working_moment(self, moment: datetime) -> datetime:
        """``moment`` (in Almaty time) if it is working time, else when work next starts.

        Used to tell a citizen when operators answer.
        """
        local = _local(moment)
        if self.is_working_time(local):
            return local
        hours, day, now = self.profile.hours, local.date(), local.time()
        if self.is_working_day(day):
            if now < hours.start:
                return _at(day, hours.start)
            if hours.lunch_start <= now < hours.lunch_end:
                return _at(day, hours.lunch_end)
        return _at(self.add_working_days(day, 1), hours.start)


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    return moment.astimezone(ALMATY)


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=ALMATY)
