"""The staff's daily digest (R17, R21, R23, R24, R31): in linked Telegram chats each working
morning, and on the console page, where a staff member also links their own Telegram."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from reception import reminder_rules as rr
from reception.citizens import Role
from reception.deadlines import ControlCategory
from reception.protocols import Instruction, Protocol, ProtocolItem
from reception.requests import ExtensionKind
from reception.services.officials import link_telegram
from reception.services.requests import apply_transition
from storage.repositories.link_codes import SqlLinkCodeRepository
from storage.repositories.reminders import SqlStaffLinkCodes
from tests.e2e.console_support import *  # noqa: F403  (the `console` fixture)
from tests.e2e.console_support import Console
from tests.integration.reminders_support import STAFF, World, at, local, text_of, world

DIGEST_DAY = date(2026, 3, 11)  # a Wednesday; Monday 9 March is off (8 March fell on Sunday)


async def _registered_on(w: World, day: date, n: int) -> int:
    w.clock.set(at(day, 10))
    return await w.register(await w.add_citizen(n), n)


async def _deadlines(w: World) -> dict[str, int]:
    """One request or instruction per section, its term placed with the working calendar."""
    cal = w.rules.calendar
    before = cal.subtract_working_days(DIGEST_DAY, 1)  # Tuesday 10 March
    soon = cal.add_working_days(DIGEST_DAY, 2)  # Friday 13 March
    later = cal.add_working_days(DIGEST_DAY, 4)  # outside the 3 working days
    made = {
        "overdue": await _registered_on(w, cal.subtract_working_days(before, 15), 1),
        "soon": await _registered_on(w, cal.subtract_working_days(soon, 15), 2),
        "later": await _registered_on(w, cal.subtract_working_days(later, 15), 3),
        "extended": await _registered_on(w, cal.subtract_working_days(before, 15), 4),
        "fix": await _registered_on(w, cal.subtract_working_days(DIGEST_DAY, 1), 5),
        "hearing": await _registered_on(w, cal.subtract_working_days(DIGEST_DAY, 1), 6),
    }
    async with w.uow_factory() as uow:
        await apply_transition(
            uow,
            w.rules,
            made["extended"],
            "extend",
            STAFF,
            kind=ExtensionKind.LETTER,
            until=soon,
            reason="күрделі",
        )
        await apply_transition(
            uow,
            w.rules,
            made["fix"],
            "request_fix",
            STAFF,
            requirements=["мекенжай"],
            working_days=3,
        )
        await apply_transition(
            uow, w.rules, made["hearing"], "draft_refusal", STAFF, text="құзыретке жатпайды"
        )
        item = ProtocolItem(
            made["later"],
            "тыңдалды",
            instructions=[
                Instruction("Жол бөлімі", "жолды жөндеу", ControlCategory.VERY_URGENT, before),
                Instruction("Құрылыс бөлімі", "тексеру", ControlCategory.URGENT, soon),
                Instruction("Білім бөлімі", "жауап беру", ControlCategory.SHORT, later),
            ],
        )
        await uow.protocols.add(Protocol(w.official_id, None, before, 2026, 1, items=[item]))
        await uow.commit()
    return made


async def test_the_digest_reaches_linked_reception_and_admin_staff_at_nine(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(date(2026, 1, 26), 9))
    await w.add_official()
    await w.add_staff("reception1", Role.RECEPTION, chat_id=800_001, language="kk")
    await w.add_staff("admin1", Role.ADMIN, chat_id=800_002, language="ru")
    await w.add_staff("operator1", Role.OPERATOR, chat_id=800_003)  # no digest for operators
    await _deadlines(w)
    w.clock.set(at(DIGEST_DAY, 8))
    await w.advance(at(DIGEST_DAY, 10))

    rows = [r for r in await w.rows(kind="digest") if local(r["created_at"]).date() == DIGEST_DAY]
    assert sorted(r["chat_id"] for r in rows) == ["800001", "800002"]
    assert {local(r["created_at"]) for r in rows} == {at(DIGEST_DAY, 9)}
    ru = text_of(next(r for r in rows if r["chat_id"] == "800002"))
    sections = _sections(ru)
    assert sections["Просрочен ответ"] == ["2026-000001"]
    assert sections["Ответ в течение 3 рабочих дней"] == ["2026-000002", "2026-000004"]  # R23
    assert sections["Просрочены поручения"] == ["2026-000003"]
    assert sections["Поручения со сроком в течение 3 рабочих дней"] == ["2026-000003"]
    assert sections["Заканчивается срок исправления заявки"] == ["2026-000005"]
    assert sections["Заканчивается срок возражений по проекту отказа"] == ["2026-000006"]
    assert "2026-000003 — Азамат Тестұлы 3, срок" not in ru.split("поручения")[0]  # not an answer
    kk = text_of(next(r for r in rows if r["chat_id"] == "800001"))
    assert kk.startswith("11 наурыз 2026 ж. күнгі мерзімдер")


def _sections(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.endswith(":") and not line.startswith("•"):
            current = line.split(" (")[0].rstrip(":")
            found[current] = []
        elif line.startswith("•") and current is not None:
            found[current].append(line[2:].split(" — ")[0])
    return found


async def test_no_digest_on_a_day_off_and_none_a_day_late(uow_factory: Any, tmp_path: Path) -> None:
    w = world(uow_factory, tmp_path, at(date(2026, 3, 6), 8))  # Friday; Monday 9 March is off
    await w.add_staff("reception1", Role.RECEPTION, chat_id=800_001)
    await w.run()
    planned = sorted(j.key for j in await w.jobs(rr.DIGEST))
    assert planned == ["digest:2026-03-06", "digest:2026-03-10"]  # Tuesday comes next
    await w.run(at(date(2026, 3, 11), 9, 30))  # down from Friday 8:00 to Wednesday
    states = {j.key: (j.state, j.last_error) for j in await w.jobs(rr.DIGEST)}
    assert states["digest:2026-03-06"] == ("dropped", rr.DIGEST_DAY_OVER)
    assert states["digest:2026-03-10"] == ("dropped", rr.DIGEST_DAY_OVER)
    assert states["digest:2026-03-11"] == ("done", None)  # today's still goes
    assert len(await w.rows(kind="digest")) == 1


async def test_the_digest_page_shows_the_terms_and_gives_a_telegram_code(
    console: Console,
) -> None:
    official = console.officials[0]
    citizen = await console.seed_citizen(1)
    console.clock.set(datetime.combine(date(2026, 1, 19), time(10), tzinfo=rr.ALMATY))
    overdue = await console.seed_request(1, citizen=citizen, official=official)
    console.clock.set(datetime.combine(date(2026, 2, 11), time(10), tzinfo=rr.ALMATY))

    csrf = await console.login("reception")
    page = await console.client.get("/console/digest")
    html = await page.text()
    assert page.status == 200
    assert 'id="digest-answers_overdue"' in html and overdue.number in html
    assert "Ваш Telegram не подключен." in html

    response = await console.post("/console/digest/telegram-code", {}, csrf)
    code = re.search(r"/start (s\d{8})", await response.text())
    assert response.status == 200 and code is not None
    async with console.uow_factory() as uow:
        linked = await link_telegram(
            uow,
            SqlLinkCodeRepository(uow.connection),
            SqlStaffLinkCodes(uow.connection),
            console.clock,
            code.group(1),
            4242,
        )
        await uow.commit()
    assert (linked.kind, linked.id) == ("staff", console.users["reception"].id)
    assert "Ваш Telegram подключен" in await (await console.client.get("/console/digest")).text()
    assert "staff.link_code" in await console.audit_actions(
        "staff_user", console.users["reception"].id
    )

    await console.login("operator")
    assert (await console.client.get("/console/digest")).status == 403
