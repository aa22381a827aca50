"""My requests (status, dates, next step), withdrawal (R40), answers to staff (R17, R24), and
the published schedule (R6)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from reception.actors import Actor
from reception.citizens import DocumentKind
from reception.clock import FixedClock
from reception.requests import Status
from reception.services.requests import apply_transition
from storage.tables import audit_log, messages
from tests.integration.dialog_support import *  # noqa: F403  (fixtures: chat, clock, dialog, world)
from tests.integration.dialog_support import (
    JPEG,
    Chat,
    World,
    all_requests,
    book,
    t,
)

STAFF = Actor.staff(1)


async def staff_do(uow_factory: Any, dialog: Any, request_id: int, action: str, **kw: Any) -> None:
    async with uow_factory() as uow:
        await apply_transition(uow, dialog.rules, request_id, action, STAFF, **kw)
        await uow.commit()


async def audit_actions(uow_factory: Any, request_id: int) -> list[str]:
    async with uow_factory(readonly=True) as uow:
        rows = await uow.connection.execute(
            select(audit_log.c.action)
            .where(audit_log.c.object_type == "request", audit_log.c.object_id == str(request_id))
            .order_by(audit_log.c.id)
        )
    return list(rows.scalars())


async def test_r40_my_requests_show_status_in_words_dates_and_next_step(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world)
    [request] = await all_requests(uow_factory)
    await chat.tap("menu:mine")
    assert f"№ {request.number} от 2 марта 2026 г. — Зарегистрирована" in chat.text
    await chat.tap(f"req:{request.id}")
    for line in (
        "Статус: Зарегистрирована",
        "К кому: Серик Беккожа",
        "Зарегистрирована: 2 марта 2026 г.",
        "Дату и время сообщат не позднее: 27 марта 2026 г.",
        "Время приема: 11 марта 2026 г., 10:00",
        t("ru", "my-next-registered"),
    ):
        assert line in chat.text
    assert {"act:withdraw", "act:list"} <= {b.id for b in chat.buttons}
    assert "act:reply" not in {b.id for b in chat.buttons}


async def test_r40_withdrawal_asks_for_confirmation_then_withdraws(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world)
    [request] = await all_requests(uow_factory)
    await chat.tap("menu:mine")
    await chat.tap(f"req:{request.id}")
    await chat.tap("act:withdraw")
    assert t("ru", "my-withdraw-confirm", number=request.number) in chat.text
    await chat.tap("no")
    assert "Статус: Зарегистрирована" in chat.text
    await chat.tap("act:withdraw")
    await chat.tap("yes")

    [withdrawn] = await all_requests(uow_factory)
    assert withdrawn.status is Status.WITHDRAWN and withdrawn.slot_id is None
    assert f"Заявка {request.number} отозвана." in chat.text  # the domain's notice
    assert "Статус: Отозвана заявителем" in chat.text
    assert "act:withdraw" not in {b.id for b in chat.buttons}
    assert "request.withdraw" in await audit_actions(uow_factory, request.id)


async def test_r17_answer_to_a_fix_request_is_attached_and_left_for_staff(
    chat: Chat, world: World, uow_factory: Any, dialog: Any
) -> None:
    await book(chat, world)
    [request] = await all_requests(uow_factory)
    await staff_do(uow_factory, dialog, request.id, "request_fix", requirements=["нет адреса"])
    await chat.read()

    await chat.say("Мой адрес: г. Талдыкорган, ул. Абая, 10, кв. 5")
    assert chat.text.startswith(t("ru", "my-reply-received", number=request.number))
    await chat.send_file(JPEG, "адрес.jpg", "image/jpeg")
    assert t("ru", "my-reply-received", number=request.number) in chat.text
    await chat.tap("act:done")
    assert "Нужно исправить: нет адреса." in chat.text

    [still] = await all_requests(uow_factory)
    assert still.status is Status.NEEDS_FIX  # staff decide whether it is fixed
    async with uow_factory(readonly=True) as uow:
        [attachment] = await uow.documents.for_request(request.id)
        logged = (
            (
                await uow.connection.execute(
                    select(messages)
                    .where(messages.c.direction == "in")
                    .order_by(messages.c.id.desc())
                    .limit(3)
                )
            )
            .mappings()
            .all()
        )
    assert attachment.kind is DocumentKind.ATTACHMENT and attachment.file_name == "адрес.jpg"
    reply_text, reply_file = logged[2], logged[1]
    assert (
        reply_text["text"].startswith("Мой адрес")
        and reply_text["payload"]["request_id"] == request.id
    )
    assert reply_file["document_id"] == attachment.id
    assert (await audit_actions(uow_factory, request.id)).count("request.citizen_reply") == 2


async def test_r24_objection_in_a_hearing_is_written_in_the_chat(
    chat: Chat, world: World, uow_factory: Any, dialog: Any
) -> None:
    await book(chat, world)
    [request] = await all_requests(uow_factory)
    await staff_do(uow_factory, dialog, request.id, "draft_refusal", text="вопрос решен судом")
    await chat.tap("menu:mine")
    await chat.tap(f"req:{request.id}")
    assert "Проект отказа: вопрос решен судом" in chat.text
    assert "Возражения можно направить до 5 марта 2026 г." in chat.text  # R24: 3 working days
    await chat.tap("act:reply")
    assert t("ru", "my-reply-ask", number=request.number) in chat.text
    await chat.say("Решение суда касалось другого участка, прилагаю выписку")
    assert t("ru", "my-reply-received", number=request.number) in chat.text
    [still] = await all_requests(uow_factory)
    assert still.status is Status.REFUSAL_DRAFT


async def test_r6_schedule_lists_reception_days_in_the_chosen_language(
    chat: Chat, world: World, clock: FixedClock
) -> None:
    await chat.command("/start")
    await chat.tap("lang:kk")
    await chat.tap("consent:no")  # the schedule needs no consent
    await chat.tap("menu:schedule")
    assert chat.text.startswith(t("kk", "schedule-title"))
    assert "Серік Бекқожа, Облыс әкімі" in chat.text
    assert "• 11 наурыз 2026 ж., 10:00–11:00, Әкімдік, 305 кабинет" in chat.text
    assert "• 18 наурыз 2026 ж., 10:00–11:00" in chat.text
    assert "Айгүл Сәрсенова, Облыс әкімінің орынбасары\n" + t("kk", "schedule-no-days") in chat.text
    assert "+7 7172 00 00 00" in chat.text  # the reception office's contact, not a citizen's
    await chat.tap("nav:menu")
    assert t("kk", "menu-ask") in chat.text
