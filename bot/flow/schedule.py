"""The published reception schedule (R6): per official, name, position, days, place and the
contacts of the reception office, in the citizen's language. Nothing personal (R15)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from bot.flow import states
from bot.flow.events import Reply
from bot.flow.turn import Nav, Step, Turn
from reception.clock import local_date
from reception.schedule import ReceptionDay

HORIZON_DAYS = 62  # the schedule is approved per month; show this one and the next
DAYS_PER_OFFICIAL = 4


async def ask_schedule(turn: Turn) -> Reply:
    today = local_date(turn.now)
    officials = await turn.uow.schedule.officials()
    days = await turn.uow.schedule.days(None, today, today + timedelta(days=HORIZON_DAYS))
    by_official: dict[int, list[ReceptionDay]] = defaultdict(list)
    for day in days:
        by_official[day.official_id].append(day)
    blocks = []
    for official in officials:
        lines = [
            turn.t(
                "schedule-official",
                name=official.name(turn.lang),
                position=official.position(turn.lang),
            )
        ]
        upcoming = by_official.get(official.id or 0, [])[:DAYS_PER_OFFICIAL]
        lines += [
            turn.t(
                "schedule-day",
                date=day.day,
                starts=day.starts.strftime("%H:%M"),
                ends=day.ends.strftime("%H:%M"),
                place=day.place(turn.lang),
            )
            for day in upcoming
        ]
        if not upcoming:
            lines.append(turn.t("schedule-no-days"))
        if official.phone or official.email:
            contacts = ", ".join(c for c in (official.phone, official.email) if c)
            lines.append(turn.t("schedule-contacts", contacts=contacts))
        blocks.append("\n".join(lines))
    if not blocks:
        return Reply(turn.t("schedule-empty"))
    return Reply(turn.t("schedule-title") + "\n\n" + "\n\n".join(blocks))


async def answer_schedule(turn: Turn) -> None:
    await turn.menu()


STEPS = {states.SCHEDULE: Step(ask_schedule, answer_schedule, Nav.SUB)}
