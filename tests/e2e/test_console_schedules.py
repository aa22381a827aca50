"""Schedules: reception days and slots (R5, R34), cancelling a day (R12), officials (R1, R6),
topics and competence (R18.1, R2), and the code that links an official's Telegram (R25)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pytest

from reception.actors import Actor
from reception.clock import ALMATY
from reception.errors import NotFound
from reception.requests import Status
from reception.services.requests import book_request
from reception.services.schedules import redeem_link_code
from storage.repositories.link_codes import SqlLinkCodeRepository
from tests.e2e.console_support import *  # noqa: F403

DAY = {
    "day": "2026-02-19",
    "starts": "10:00",
    "ends": "12:00",
    "slot_minutes": "30",
    "format": "in_person",
    "place_kk": "Әкімдік, 2 қабат",
    "place_ru": "Акимат, 2 этаж",
}


async def booked(console, n: int, slot) -> object:
    booking = await console.seed_request(n)
    async with console.uow_factory() as uow:
        await book_request(uow, console.rules, booking.id, slot.id, Actor.staff(1))
        await uow.commit()
    return booking


async def test_r34_a_new_reception_day_is_cut_into_slots_inside_working_hours(console) -> None:
    csrf = await console.login("reception")

    response = await console.post(
        "/console/schedules/days",
        {**DAY, "official_id": console.officials[0].id, "starts": "11:00", "ends": "16:00"},
        csrf,
    )
    page = await console.client.get(response.headers["Location"])
    text = await page.text()

    assert response.status == 303
    times = re.findall(r"<td>(\d\d:\d\d)–\d\d:\d\d</td>", text)
    assert times == ["11:00", "11:30", "12:00", "12:30", "15:00", "15:30"]  # lunch 13-15
    assert "День приема добавлен" in text
    assert await console.scalar("select count(*) from audit_log where action = 'day.create'") == 1


async def test_a_day_on_a_holiday_or_overlapping_another_is_refused_with_a_message(
    console,
) -> None:
    csrf = await console.login("reception")
    official = console.officials[0].id
    await console.post("/console/schedules/days", {**DAY, "official_id": official}, csrf)

    overlap = await console.post(
        "/console/schedules/days", {**DAY, "official_id": official, "starts": "11:00"}, csrf
    )
    holiday = await console.post(
        "/console/schedules/days", {**DAY, "official_id": official, "day": "2026-03-23"}, csrf
    )

    assert overlap.status == 422
    assert "уже есть прием в это время" in await overlap.text()
    assert holiday.status == 422
    assert await console.scalar("select count(*) from reception_days") == 1


async def test_r12_cancelling_a_day_reschedules_each_booking_and_offers_new_slots(
    console,
) -> None:
    day, slots = await console.seed_day(day=date(2026, 2, 18))
    _spare, spare_slots = await console.seed_day(day=date(2026, 2, 25))
    first = await booked(console, 1, slots[0])
    second = await booked(console, 2, slots[1])
    csrf = await console.login("reception")

    response = await console.post(
        f"/console/schedules/days/{day.id}/cancel", {"reason": "командировка"}, csrf
    )

    assert response.status == 303
    for booking in (first, second):
        stored = await console.request(booking.id)
        assert stored.status is Status.RESCHEDULED and stored.slot_id is None
        assert (await console.outbox_kinds(booking.id))[-1] == "rescheduled"
    notice = (
        await console.rows(
            "select args from outbox where request_id = :id and kind = 'rescheduled'", id=first.id
        )
    )[0]["args"]
    offered = notice if isinstance(notice, dict) else json.loads(notice)
    assert offered["reason"] == "командировка"
    assert [s["slot_id"] for s in offered["offered_slots"]] == [s.id for s in spare_slots[:5]]
    assert (
        await console.scalar("select count(*) from reception_days where cancelled_at is not null")
        == 1
    )
    audit = await console.rows("select details from audit_log where action = 'day.cancel'")
    assert len(audit) == 1


async def test_r12_a_cancelled_day_offers_no_slots_and_cannot_be_cancelled_twice(
    console,
) -> None:
    day, slots = await console.seed_day()
    csrf = await console.login("reception")
    await console.post(f"/console/schedules/days/{day.id}/cancel", {"reason": "болезнь"}, csrf)

    again = await console.post(
        f"/console/schedules/days/{day.id}/cancel", {"reason": "болезнь"}, csrf
    )
    booking = await console.seed_request(1)
    card = await console.client.get(f"/console/requests/{booking.id}")

    assert again.status == 422
    assert str(slots[0].id) not in re.findall(r'<option value="(\d+)"', await card.text())


async def test_a_cancel_without_a_reason_is_refused_and_nothing_changes(console) -> None:
    day, slots = await console.seed_day()
    booking = await booked(console, 1, slots[0])
    csrf = await console.login("reception")

    response = await console.post(f"/console/schedules/days/{day.id}/cancel", {"reason": " "}, csrf)

    assert response.status == 422
    assert (await console.request(booking.id)).status is Status.BOOKED


async def test_the_day_page_shows_who_holds_each_slot(console) -> None:
    day, slots = await console.seed_day()
    booking = await booked(console, 1, slots[1])
    await console.login("reception")

    text = await (await console.client.get(f"/console/schedules/days/{day.id}")).text()

    assert booking.number in text and booking.applicant_name in text
    assert text.count("свободно") == len(slots) - 1


async def test_the_schedules_page_lists_days_in_the_period(console) -> None:
    await console.seed_day(day=date(2026, 2, 18))
    await console.seed_day(console.officials[1], day=date(2026, 2, 20))
    await console.login("official")

    text = await (await console.client.get("/console/schedules")).text()

    assert "18 ақпан 2026 ж." in text  # the official reads Kazakh; only their own day
    assert "20 ақпан 2026 ж." not in text


async def test_r25_a_one_time_code_links_the_officials_telegram_once(console) -> None:
    csrf = await console.login("reception")
    official = console.officials[0]

    response = await console.post(f"/console/schedules/officials/{official.id}/link-code", {}, csrf)
    code = re.search(r'id="link-code">(\d{8})<', await response.text()).group(1)
    stored = await console.scalar("select code_hash from official_link_codes")

    assert code not in stored  # only a hash is kept
    async with console.uow_factory() as uow:
        codes = SqlLinkCodeRepository(uow.connection)
        linked = await redeem_link_code(uow, codes, console.clock, code, 555001)
        await uow.commit()
    async with console.uow_factory() as uow:
        codes = SqlLinkCodeRepository(uow.connection)
        with pytest.raises(NotFound):
            await redeem_link_code(uow, codes, console.clock, code, 555002)
    assert linked.telegram_chat_id == 555001


async def test_r25_an_expired_link_code_is_refused(console) -> None:
    csrf = await console.login("admin")
    response = await console.post(
        f"/console/schedules/officials/{console.officials[0].id}/link-code", {}, csrf
    )
    code = re.search(r'id="link-code">(\d{8})<', await response.text()).group(1)
    console.clock.set(datetime(2026, 2, 11, 10, 31, tzinfo=ALMATY))

    async with console.uow_factory() as uow:
        with pytest.raises(NotFound) as refused:
            await redeem_link_code(
                uow, SqlLinkCodeRepository(uow.connection), console.clock, code, 1
            )

    assert refused.value.message_id == "error-link-code-invalid"


async def test_r6_admin_adds_an_official_with_name_and_position_in_both_languages(
    console,
) -> None:
    csrf = await console.login("admin")
    form = {
        "name_kk": "Омаров Ерлан",
        "name_ru": "Омаров Ерлан",
        "position_kk": "Әкім орынбасары",
        "position_ru": "Заместитель акима",
        "group": "1",
        "language": "kk",
        "phone": "+7 7282 00 00 02",
        "email": "deputy@example.kz",
        "active": "1",
    }

    created = await console.post("/console/schedules/officials", form, csrf)
    missing = await console.post("/console/schedules/officials", {**form, "position_kk": ""}, csrf)

    assert created.status == 303
    assert (
        await console.scalar(
            "select count(*) from officials where email = :e", e="deputy@example.kz"
        )
        == 1
    )
    assert missing.status == 422
    assert "Укажите должность на обоих языках" in await missing.text()


async def test_r18_admin_keeps_topics_with_their_competence_and_where_to_turn(console) -> None:
    csrf = await console.login("admin")
    central = {
        "code": "pensions",
        "name_kk": "Зейнетақы",
        "name_ru": "Пенсии",
        "competence": "central",
        "active": "1",
    }

    without_redirect = await console.post("/console/schedules/topics", central, csrf)
    with_redirect = await console.post(
        "/console/schedules/topics",
        {**central, "redirect_kk": "ХҚКО", "redirect_ru": "ЦОН"},
        csrf,
    )
    page = await console.client.get("/console/schedules/topics")

    assert without_redirect.status == 422
    assert "укажите, куда обратиться" in await without_redirect.text()
    assert with_redirect.status == 303
    assert "Пенсии" in await page.text()
    assert await console.scalar("select competence from topics where code='pensions'") == "central"
