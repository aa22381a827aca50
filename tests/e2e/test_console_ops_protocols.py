"""Protocols of receptions and the control of their instructions, through the console
(R14, R26, R31, R33; 004 appendix 8)."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import docx
import pytest

from tests.e2e.console_ops_support import RECEPTION_AT, book, mark, visible_text
from tests.e2e.console_support import *  # noqa: F403


@pytest.fixture
async def heard(console):
    """Two applicants booked into the day of 18 February 2026 and received; the clock is
    after the reception."""
    day, slots = await console.seed_day()
    first = await console.seed_request(1, slot=slots[0], name="Әлиев Нұрлан")
    second = await console.seed_request(2, slot=slots[1], name="Петрова Анна")
    for booking, slot in ((first, slots[0]), (second, slots[1])):
        await book(console, booking, slot)
    console.clock.set(RECEPTION_AT)
    await mark(console, first)
    await mark(console, second)
    return day, first, second


def protocol_form(first, second, **extra):
    form = {
        "chair": "Аскаров А. А.",
        "secretary": "Reception Test",
        "place": "Акимат, кабинет 305",
        "attendees": "Руководитель аппарата\nАким района",
        f"include-{first.id}": "1",
        f"heard-{first.id}": "О ремонте дороги по ул. Абая",
        f"decision-{first.id}": "Поручить отделу ЖКХ рассмотреть",
        f"executor-{first.id}-0": "Отдел ЖКХ",
        f"text-{first.id}-0": "Обследовать дорогу и дать ответ заявителю",
        f"category-{first.id}-0": "very-urgent",
        f"include-{second.id}": "1",
        f"heard-{second.id}": "О выделении места в детском саду",
        f"spoke-{second.id}": "Руководитель отдела образования",
        f"executor-{second.id}-0": "Отдел образования",
        f"text-{second.id}-0": "Рассмотреть очередь",
        f"category-{second.id}-0": "urgent",
        f"due-{second.id}-0": "2026-02-27",
    }
    form.update(extra)
    return form


async def record(console, day, first, second, **extra):
    csrf = await console.login("reception")
    response = await console.post(
        f"/console/protocols/new/{day.id}", protocol_form(first, second, **extra), csrf
    )
    return response, csrf


async def test_r33_protocol_is_numbered_within_the_year_and_dated_the_reception_day(
    console, heard
) -> None:
    day, first, second = heard
    response, _ = await record(console, day, first, second)

    assert response.status == 303
    page = await console.client.get(response.headers["Location"])
    text = visible_text(await page.text())
    assert "Протокол № 1 за 2026 год" in text
    assert "18 февраля 2026 г." in text
    assert "Руководитель аппарата; Аким района" in text
    rows = await console.rows("select year, number, held_on from protocols")
    assert [(r["year"], r["number"], str(r["held_on"])) for r in rows] == [(2026, 1, "2026-02-18")]
    assert await console.audit_actions("protocol", 1) == ["protocol.record"]


async def test_r31_instruction_terms_come_from_the_control_category_or_an_allowed_date(
    console, heard
) -> None:
    day, first, second = heard
    await record(console, day, first, second)

    rows = await console.rows(
        "select executor, control_category, due, state from instructions order by id"
    )
    # very urgent: 3 working days after Wed 18 Feb = Mon 23 Feb; urgent with its own date.
    assert [(r["executor"], r["control_category"], str(r["due"]), r["state"]) for r in rows] == [
        ("Отдел ЖКХ", "very-urgent", "2026-02-23", "on_control"),
        ("Отдел образования", "urgent", "2026-02-27", "on_control"),
    ]


async def test_r14_an_item_without_decision_or_instruction_is_refused_and_nothing_saved(
    console, heard
) -> None:
    day, first, second = heard
    response, _ = await record(
        console,
        day,
        first,
        second,
        **{f"decision-{first.id}": "", f"executor-{first.id}-0": "", f"text-{first.id}-0": ""},
    )

    assert response.status == 422
    assert "нужно принятое решение или поручение с конкретным сроком" in await response.text()
    assert await console.scalar("select count(*) from protocols") == 0
    # What the worker typed is still in the form.
    assert "О выделении места в детском саду" in await response.text()


async def test_r31_a_date_outside_the_category_is_refused(console, heard) -> None:
    day, first, second = heard
    response, _ = await record(console, day, first, second, **{f"due-{second.id}-0": "2026-06-01"})

    assert response.status == 422
    assert "не соответствует выбранной категории контроля" in await response.text()
    assert await console.scalar("select count(*) from instructions") == 0


async def test_a_second_protocol_for_the_same_day_is_not_recorded(console, heard) -> None:
    day, first, second = heard
    await record(console, day, first, second)
    csrf = await console.csrf()

    again = await console.post(
        f"/console/protocols/new/{day.id}", protocol_form(first, second), csrf
    )

    assert again.status == 422
    assert await console.scalar("select count(*) from protocols") == 1


async def test_r33_docx_has_the_appendix_8_layout_and_the_download_is_audited(
    console, heard
) -> None:
    day, first, second = heard
    await record(console, day, first, second)

    response = await console.client.get("/console/protocols/1/docx")

    assert response.status == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="protocol-2026-1.docx"'
    paragraphs = [p.text for p in docx.Document(BytesIO(await response.read())).paragraphs]
    assert paragraphs[:5] == [
        "Аппарат акима области",
        "ПРОТОКОЛ",
        "18 февраля 2026 г.\t№ 1",
        "Акимат, кабинет 305",
        "личного приема граждан: Аскаров Аскар Аскарович",
    ]
    assert "Председательствующий: Аскаров А. А." in paragraphs
    assert "Присутствовали: Руководитель аппарата; Аким района" in paragraphs
    body = "\n".join(paragraphs)
    assert body.index("СЛУШАЛИ:") < body.index("ВЫСТУПИЛИ:") < body.index("ПОСТАНОВИЛИ:")
    assert f"1. Об обращении Әлиев Нұрлан (заявка № {first.number})" in paragraphs
    assert any(
        p.startswith("1.1. Обследовать дорогу") and "23 февраля 2026 г." in p for p in paragraphs
    )
    assert paragraphs[-2:] == [
        "Председательствующий\t_______________ Аскаров А. А.",
        "Секретарь\t_______________ Reception Test",
    ]
    assert await console.audit_actions("protocol", 1) == ["protocol.record", "protocol.download"]


async def test_docx_in_kazakh_uses_the_kazakh_scheme_words(console, heard) -> None:
    day, first, second = heard
    await record(console, day, first, second)

    response = await console.client.get("/console/protocols/1/docx?lang=kk")

    body = "\n".join(p.text for p in docx.Document(BytesIO(await response.read())).paragraphs)
    assert "ХАТТАМА" in body and "18 ақпан 2026 ж." in body
    assert "ТЫҢДАЛДЫ:" in body and "СӨЙЛЕГЕНДЕР:" in body and "ҚАУЛЫ ЕТТІ:" in body


async def test_r31_control_lists_due_within_three_working_days_and_overdue(console, heard) -> None:
    day, first, second = heard
    await record(console, day, first, second)

    page = visible_text(await (await console.client.get("/console/control")).text())
    assert "Просроченные: 0" in page
    assert "Срок в ближайшие 3 рабочих дня: 1" in page  # 23 Feb is 3 working days away
    assert "Обследовать дорогу" in page and "Рассмотреть очередь" not in page

    console.clock.set(datetime.fromisoformat("2026-02-24T10:00:00+05:00"))
    await console.login("reception")  # the session idled out over the days
    page = visible_text(await (await console.client.get("/console/control")).text())
    assert "Просроченные: 1" in page
    assert "Срок в ближайшие 3 рабочих дня: 1" in page  # 27 Feb now within reach


async def test_r31_a_term_is_extended_only_once(console, heard) -> None:
    day, first, second = heard
    _, csrf = await record(console, day, first, second)
    path = "/console/protocols/1/instructions/1/extend"

    once = await console.post(path, {"due": "2026-02-26"}, csrf)
    twice = await console.post(path, {"due": "2026-03-02"}, csrf)

    assert once.status == 303
    assert twice.status == 422
    assert "можно продлить только один раз" in await twice.text()
    assert str(await console.scalar("select due from instructions where id = 1")) == "2026-02-26"


async def test_r26_instruction_leaves_control_only_with_its_result(console, heard) -> None:
    day, first, second = heard
    _, csrf = await record(console, day, first, second)
    path = "/console/protocols/1/instructions/1/complete"

    empty = await console.post(path, {"result": "  "}, csrf)
    done = await console.post(path, {"result": "Дорога отремонтирована"}, csrf)

    assert empty.status == 422
    assert done.status == 303
    rows = await console.rows("select state, result from instructions where id = 1")
    assert (rows[0]["state"], rows[0]["result"]) == ("done", "Дорога отремонтирована")


async def test_r26_request_closes_only_with_the_final_answer(console, heard) -> None:
    day, first, second = heard
    _, csrf = await record(console, day, first, second)
    path = f"/console/protocols/1/requests/{first.id}/close"

    refused = await console.post(path, {"final_answer": ""}, csrf)
    closed = await console.post(path, {"final_answer": "Ремонт включён в план на май"}, csrf)

    assert refused.status == 422
    assert "только после окончательного мотивированного ответа" in await refused.text()
    assert closed.status == 303
    assert (await console.request(first.id)).status.value == "closed"
    assert (await console.outbox_kinds(first.id))[-1] == "final-answer"
    # Its instruction is off control with the same answer as result.
    assert await console.scalar("select state from instructions where id = 1") == "done"


async def test_an_official_sees_only_their_own_protocols(console, heard) -> None:
    day, first, second = heard
    await record(console, day, first, second)
    role = Role.OFFICIAL  # noqa: F405
    other = await console.add_user("other-official", role, official_id=console.officials[1].id)
    assert other.id is not None

    await console.login("other-official")
    assert (await console.client.get("/console/protocols/1")).status == 404
    assert (await console.client.get("/console/protocols/1/docx")).status == 404
    await console.login("official")
    assert (await console.client.get("/console/protocols/1")).status == 200


async def test_an_official_cannot_record_a_protocol(console, heard) -> None:
    day, first, second = heard
    csrf = await console.login("official")
    response = await console.post(
        f"/console/protocols/new/{day.id}", protocol_form(first, second), csrf
    )
    assert response.status == 403
    assert await console.scalar("select count(*) from protocols") == 0


async def test_recording_without_the_csrf_token_changes_nothing(console, heard) -> None:
    day, first, second = heard
    await console.login("reception")
    response = await console.client.post(
        f"/console/protocols/new/{day.id}",
        data=protocol_form(first, second),
        allow_redirects=False,
    )
    assert response.status == 403
    assert await console.scalar("select count(*) from protocols") == 0


async def test_the_new_protocol_form_lists_the_applicants_heard(console, heard) -> None:
    day, _, _ = heard
    await console.login("reception")
    listing = visible_text(await (await console.client.get("/console/protocols")).text())
    assert "18 февраля 2026 г. — Аскаров Аскар Аскарович" in listing

    page = await console.client.get(f"/console/protocols/new/{day.id}")

    text = visible_text(await page.text())
    assert page.status == 200
    assert "Об обращении Әлиев Нұрлан" in text and "Об обращении Петрова Анна" in text
    assert date(2026, 2, 18).isoformat() not in text  # dates are written out, not ISO
