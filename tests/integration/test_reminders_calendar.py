"""Reminders and day lists fire once, at the right local time (Asia/Almaty), across Nauryz
(21-25 March 2026 off) and across a weekend day made working (Sunday 5 January 2025).

The clock only moves forward by hand; `World.advance` runs the runner at every moment a job
falls due and one second before it (nothing may run then).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from reception import reminder_rules as rr
from tests.integration.reminders_support import World, at, local, text_of, world

OFFICIAL_CHAT = 900_001


async def _book_one_per_day(w: World, days: list[date]) -> dict[date, tuple[int, int]]:
    """One citizen booked at 10:00 on each day: day -> (citizen number, request id)."""
    booked = {}
    for n, day in enumerate(days, start=1):
        _, slots = await w.add_day(day)
        citizen_id = await w.add_citizen(n, lang="kk" if n % 2 else "ru")
        booked[day] = (n, await w.book(citizen_id, n, slots[0]))
    return booked


def _created(rows: list[Any]) -> list[datetime]:
    return [local(row["created_at"]) for row in rows]


async def test_a_week_of_receptions_across_nauryz_reminds_once_at_local_times(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(date(2026, 3, 16), 9))  # Monday
    await w.add_official(chat_id=OFFICIAL_CHAT)
    days = [
        date(2026, 3, 18),
        date(2026, 3, 19),
        date(2026, 3, 20),
        date(2026, 3, 26),
        date(2026, 3, 27),
    ]
    booked = await _book_one_per_day(w, days)

    await w.advance(at(date(2026, 3, 28), 0))

    # 1 working day before at 10:00 (21-25 March are off: the 26th is reminded on the 20th),
    # and 2 hours before the 10:00 slot.
    day_before = {
        date(2026, 3, 18): at(date(2026, 3, 17), 10),
        date(2026, 3, 19): at(date(2026, 3, 18), 10),
        date(2026, 3, 20): at(date(2026, 3, 19), 10),
        date(2026, 3, 26): at(date(2026, 3, 20), 10),
        date(2026, 3, 27): at(date(2026, 3, 26), 10),
    }
    for day, (n, _) in booked.items():
        reminders = await w.rows(kind="reminder", chat_id=w.chat_of(n))
        assert _created(reminders) == [day_before[day], at(day, 8)], day
    # Each citizen reads it in their own language (odd numbers chose Kazakh).
    n, _ = booked[date(2026, 3, 26)]
    russian = text_of((await w.rows(kind="reminder", chat_id=w.chat_of(n)))[0])
    assert russian.startswith("Напоминаем: четверг, 26 марта 2026 г., 10:00")
    n, _ = booked[date(2026, 3, 27)]
    kazakh = text_of((await w.rows(kind="reminder", chat_id=w.chat_of(n)))[0])
    assert kazakh.startswith("Еске саламыз: жұма, 27 наурыз 2026 ж., 10:00")

    # R25: the day list 1 working day before at 16:00; the summary at 08:30 on the day.
    lists = await w.rows(kind="day-list", chat_id=str(OFFICIAL_CHAT))
    assert _created(lists) == [at(day_before[d].date(), 16) for d in days]
    mornings = await w.rows(kind="morning", chat_id=str(OFFICIAL_CHAT))
    assert _created(mornings) == [at(d, 8, 30) for d in days]
    assert "Азамат Тестұлы 4" in text_of(lists[3])  # the 26th's applicant, on the 20th

    # Each job ran once: nothing pending or failed is left for these days.
    states = {job.kind: set() for job in await w.jobs()}
    for job in await w.jobs():
        states[job.kind].add(job.state)
    for kind in (rr.DAY_BEFORE, rr.HOURS_BEFORE, rr.DAY_LIST, rr.MORNING):
        assert states[kind] == {"done"}, kind


async def test_a_weekend_day_made_working_gets_its_reminders_and_lists(
    uow_factory: Any, tmp_path: Path
) -> None:
    """Sunday 5 January 2025 was a working day (Friday 3 January was moved onto it); 1, 2
    and 7 January are holidays, 4 January a Saturday."""
    w = world(uow_factory, tmp_path, at(date(2024, 12, 30), 9))  # Monday
    await w.add_official(chat_id=OFFICIAL_CHAT)
    sunday, monday, wednesday = date(2025, 1, 5), date(2025, 1, 6), date(2025, 1, 8)
    booked = await _book_one_per_day(w, [sunday, monday, wednesday])

    await w.advance(at(date(2025, 1, 9), 0))

    expected = {
        sunday: [at(date(2024, 12, 31), 10), at(sunday, 8)],  # the working day before
        monday: [at(sunday, 10), at(monday, 8)],  # reminded on the working Sunday
        wednesday: [at(monday, 10), at(wednesday, 8)],  # 7 January (Christmas) is off
    }
    for day, (n, _) in booked.items():
        assert _created(await w.rows(kind="reminder", chat_id=w.chat_of(n))) == expected[day]
    lists = await w.rows(kind="day-list", chat_id=str(OFFICIAL_CHAT))
    assert _created(lists) == [at(date(2024, 12, 31), 16), at(sunday, 16), at(monday, 16)]
    mornings = await w.rows(kind="morning", chat_id=str(OFFICIAL_CHAT))
    assert _created(mornings) == [at(sunday, 8, 30), at(monday, 8, 30), at(wednesday, 8, 30)]
