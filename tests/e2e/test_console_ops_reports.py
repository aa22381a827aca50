"""The quarterly report of the reception office (R30): page and XLSX, on both dialects."""

from __future__ import annotations

from datetime import date, datetime, time
from io import BytesIO

import openpyxl
import pytest

from reception.clock import ALMATY
from reception.requests import Channel
from reception.services.requests import withdraw_by_citizen
from storage.repositories.console_ops import ConsoleOpsQueries
from tests.e2e.console_ops_support import book, visible_text
from tests.e2e.console_support import *  # noqa: F403

MARCH_5 = datetime(2026, 3, 5, 11, 0, tzinfo=ALMATY)


@pytest.fixture
async def quarter(console):
    """Four requests registered on Wed 11 Feb 2026 (answer due Wed 4 March, R21):
    booked the same day; booked on 5 March (late); still unanswered; withdrawn.
    Two satisfaction scores (R29). The clock ends on 5 March."""
    _, slots = await console.seed_day(day=date(2026, 3, 18))
    on_time = await console.seed_request(1, channel=Channel.TELEGRAM)
    late = await console.seed_request(2, channel=Channel.TELEGRAM)
    await console.seed_request(3, channel=Channel.PHONE)
    withdrawn = await console.seed_request(4, channel=Channel.WEB)
    await book(console, on_time, slots[0])
    async with console.uow_factory() as uow:
        await withdraw_by_citizen(uow, console.rules, withdrawn.citizen_id, withdrawn.id)
        queries = ConsoleOpsQueries(uow.connection)
        at = datetime.combine(date(2026, 2, 20), time(12), tzinfo=ALMATY)
        await queries.add_satisfaction(on_time.id, 5, at, "Спасибо")
        await queries.add_satisfaction(late.id, 4, at)
        await uow.commit()
    console.clock.set(MARCH_5)
    await book(console, late, slots[1])
    return on_time, late


async def test_r30_quarter_counts_deadlines_average_and_satisfaction(console, quarter) -> None:
    await console.login("reception")

    page = await console.client.get("/console/reports?year=2026&quarter=1")

    text = visible_text(await page.text())
    assert "Отчет за 1 квартал 2026 года (1 января 2026 г. — 31 марта 2026 г.)" in text
    assert "Зарегистрировано заявок 4" in text
    assert "Ответ дан в срок 1" in text
    assert "Ответ дан с нарушением срока 1" in text
    assert "Срок истёк, ответа нет 1" in text
    assert "Отозваны до ответа 1" in text
    # 0 working days for the first; 12 Feb..5 Mar is 16 working days for the second.
    assert "Средний срок ответа, рабочих дней 8.0" in text
    assert "Оценок удовлетворённости 2" in text and "Средняя оценка (из 5) 4.5" in text
    assert "Telegram 2 50.0" in text and "Телефон 1 25.0" in text and "Сайт 1 25.0" in text
    assert "Аскаров Аскар Аскарович 4 100.0" in text
    assert "Записан на прием 2" in text and "Отозвана заявителем 1" in text


async def test_r30_another_quarter_has_nothing(console, quarter) -> None:
    await console.login("reception")
    text = visible_text(
        await (await console.client.get("/console/reports?year=2025&quarter=4")).text()
    )
    assert "Зарегистрировано заявок 0" in text
    assert "Средний срок ответа, рабочих дней —" in text


async def test_r30_xlsx_has_a_sheet_per_table_and_the_download_is_audited(console, quarter) -> None:
    await console.login("reception")

    response = await console.client.get("/console/reports/quarter.xlsx?year=2026&quarter=1")

    assert response.status == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="report-2026-q1.xlsx"'
    book_ = openpyxl.load_workbook(BytesIO(await response.read()))
    assert book_.sheetnames == [
        "Итоги",
        "По каналам поступления",
        "По темам",
        "По должностным лицам",
        "По результатам",
        "Удовлетворённость",
    ]
    summary = {row[0]: row[1] for row in book_["Итоги"].iter_rows(min_row=5, values_only=True)}
    assert summary["Зарегистрировано заявок"] == 4
    assert summary["Ответ дан с нарушением срока"] == 1
    assert summary["Средний срок ответа, рабочих дней"] == 8.0
    channels = list(book_["По каналам поступления"].iter_rows(min_row=5, values_only=True))
    assert ("Telegram", 2, 50.0) in channels
    assert await console.audit_actions("report", "2026-Q1") == ["report.download"]


async def test_the_report_is_in_the_users_language(console, quarter) -> None:
    await console.add_user("esep", Role.RECEPTION, language="kk")  # noqa: F405
    await console.login("esep")
    text = visible_text(
        await (await console.client.get("/console/reports?year=2026&quarter=1")).text()
    )
    assert "2026 жылдың 1-тоқсанындағы есеп" in text
    assert "Тіркелген өтінімдер 4" in text


async def test_operators_and_officials_do_not_get_the_report(console) -> None:
    for user in ("operator", "official"):
        await console.login(user)
        assert (await console.client.get("/console/reports")).status == 403


async def test_a_quarter_out_of_range_is_a_bad_request(console) -> None:
    await console.login("reception")
    assert (await console.client.get("/console/reports?year=2026&quarter=5")).status == 400
    assert (await console.client.get("/console/reports?year=abc")).status == 400
