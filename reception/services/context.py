"""What every use case needs besides the unit of work: the clock and the regulation's terms."""

from __future__ import annotations

from dataclasses import dataclass

from reception.calendar import WorkingCalendar
from reception.clock import Clock
from reception.deadlines import Deadlines
from reception.profile import Profile


@dataclass(frozen=True, slots=True)
class Rules:
    profile: Profile
    calendar: WorkingCalendar
    deadlines: Deadlines
    clock: Clock

    @classmethod
    def build(cls, profile: Profile, clock: Clock) -> Rules:
        calendar = WorkingCalendar(profile)
        return cls(profile, calendar, Deadlines(calendar, profile), clock)
