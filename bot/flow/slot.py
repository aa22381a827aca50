"""Booking: a free slot of the chosen official, in pages, or the queue (R22: registered
without a slot; staff place it in the day list in order of the queue)."""

from __future__ import annotations

from bot.flow import buttons as b
from bot.flow import states
from bot.flow.events import Button, Reply
from bot.flow.route import advance
from bot.flow.turn import Step, Turn
from locales import weekday
from reception.clock import local_date
from reception.schedule import Slot

PAGE = 6
PER_ROW = 2


async def _free(turn: Turn, page: int) -> list[Slot]:
    """Enough free slots for `page` and one more, to know whether a next page exists."""
    official_id = int(turn.draft["official"])
    slots: list[Slot] = await turn.uow.schedule.free_slots(
        official_id, turn.now, (page + 1) * PAGE + 1
    )
    return slots


def _page(turn: Turn) -> int:
    return int(turn.data.get("page", 0))


async def ask_slot(turn: Turn) -> Reply:
    page = _page(turn)
    slots = await _free(turn, page)
    shown = slots[page * PAGE : (page + 1) * PAGE]
    queue = (turn.btn(b.QUEUE, "booking-join-queue"),)
    if not shown:
        return Reply(turn.t("booking-slot-none"), (queue,))
    labels = [
        Button(
            b.SLOT + str(slot.id),
            turn.public(
                "booking-slot-label",
                weekday=weekday(local_date(slot.starts_at), turn.lang),
                when=slot.starts_at,
            ),
        )
        for slot in shown
    ]
    rows = [tuple(labels[i : i + PER_ROW]) for i in range(0, len(labels), PER_ROW)]
    paging = []
    if page > 0:
        paging.append(turn.btn(b.SLOT_PAGE + str(page - 1), "booking-slot-earlier"))
    if len(slots) > (page + 1) * PAGE:
        paging.append(turn.btn(b.SLOT_PAGE + str(page + 1), "booking-slot-later"))
    if paging:
        rows.append(tuple(paging))
    rows.append(queue)
    return Reply(turn.t("booking-ask-slot"), tuple(rows))


async def answer_slot(turn: Turn) -> None:
    page = b.number_after(turn.button, b.SLOT_PAGE)
    if page is not None:
        turn.data["page"] = page
        await turn.ask()
        return
    if turn.button == b.QUEUE:
        turn.draft["slot"] = None  # R22
        turn.data.pop("page", None)
        await advance(turn)
        return
    slot_id = b.number_after(turn.button, b.SLOT)
    free = {s.id: s for s in await _free(turn, _page(turn))}
    if slot_id is None or slot_id not in free:
        await turn.reask("booking-error-slot")  # e.g. taken meanwhile
        return
    turn.draft["slot"] = slot_id
    turn.draft["slot_at"] = free[slot_id].starts_at.isoformat()
    turn.data.pop("page", None)
    await advance(turn)


STEPS = {states.SLOT: Step(ask_slot, answer_slot)}
