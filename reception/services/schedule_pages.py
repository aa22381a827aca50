"""What the schedule pages show: reception days with each slot and the request holding it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reception.errors import NotFound
from reception.ports import UnitOfWork
from reception.requests import SLOT_HOLDING_STATUSES, BookingRequest
from reception.schedule import Official, ReceptionDay, Slot
from reception.services.context import Rules


@dataclass(slots=True)
class SlotView:
    slot: Slot
    request: BookingRequest | None = None  # the request holding it, if any


@dataclass(slots=True)
class DayView:
    day: ReceptionDay
    official: Official
    slots: list[SlotView]
    notice_latest: date | None = None  # R12: tell the responsible worker by this day

    @property
    def booked(self) -> int:
        return sum(1 for s in self.slots if s.request is not None)


async def day_view(uow: UnitOfWork, rules: Rules, day_id: int, scope: int | None) -> DayView:
    """A day with each slot and the request holding it; an official sees only their own."""
    day = await uow.schedule.get_day(day_id)
    if scope is not None and day.official_id != scope:
        raise NotFound()
    slots = await uow.schedule.slots_of_day(day_id)
    holders = await uow.requests.for_slot_ids([s.id for s in slots if s.id is not None])
    holding = {r.slot_id: r for r in holders if r.status in SLOT_HOLDING_STATUSES}
    return DayView(
        day,
        await uow.schedule.get_official(day.official_id),
        [SlotView(s, holding.get(s.id)) for s in slots],
        rules.deadlines.cancellation_notice_latest(day.day),
    )


async def schedule_overview(
    uow: UnitOfWork, rules: Rules, start: date, end: date, official_id: int | None
) -> list[DayView]:
    """Reception days in [start, end], cancelled ones too, with their slots and holders."""
    days = await uow.schedule.days(official_id, start, end, include_cancelled=True)
    officials = {o.id: o for o in await uow.schedule.officials(active_only=False)}
    views = []
    for day in days:
        assert day.id is not None
        slots = await uow.schedule.slots_of_day(day.id)
        holders = await uow.requests.for_slot_ids([s.id for s in slots if s.id is not None])
        holding = {r.slot_id: r for r in holders if r.status in SLOT_HOLDING_STATUSES}
        views.append(
            DayView(
                day, officials[day.official_id], [SlotView(s, holding.get(s.id)) for s in slots]
            )
        )
    return views
