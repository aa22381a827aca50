"""R25: the day list reaches the official 1 working day before, or the reception staff when
the official has not linked Telegram; the morning summary; updates after the list went out;
linking and unlinking a Telegram chat with a one-time code through the real Dispatcher."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.telegram.runtime import build_dispatcher
from reception import reminder_rules as rr
from reception.actors import Actor
from reception.citizens import Role
from reception.services.officials import issue_staff_link_code
from reception.services.requests import withdraw_by_citizen
from reception.services.schedules import issue_link_code
from storage.repositories.link_codes import SqlLinkCodeRepository
from storage.repositories.reminders import SqlStaffLinkCodes
from storage.tables import audit_log, messages
from tests.e2e.telegram_fakes import FakeTelegram, TelegramUser, as_update, fake_bot
from tests.integration.dialog_support import make_dialog
from tests.integration.reminders_support import World, at, local, text_of, world

MONDAY, TUESDAY, WEDNESDAY = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)
LIST_TIME = at(TUESDAY, 16)  # R25: 1 working day before, at the profile's 16:00


async def _day_with_two(w: World) -> tuple[int, list[int]]:
    """Wednesday's reception: a citizen at 10:00, and a WWII veteran at 10:40 (R9)."""
    day_id, slots = await w.add_day(WEDNESDAY)
    await w.book(await w.add_citizen(1), 1, slots[0])
    await w.book(await w.add_citizen(2), 2, slots[2], priority_category="wwii-veteran")
    return day_id, slots


async def test_the_day_list_reaches_a_linked_official_with_names_questions_and_priority(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(MONDAY, 9))
    await w.add_official(chat_id=900_001, language="kk")
    await _day_with_two(w)
    await w.advance(LIST_TIME)
    (row,) = await w.rows(kind="day-list")
    assert row["chat_id"] == "900001" and local(row["created_at"]) == LIST_TIME
    text = text_of(row)
    assert text.startswith("Жеке қабылдауға жазылғандар тізімі, сәрсенбі, 4 наурыз 2026 ж.")
    assert "Серік Бекқожа, Облыс әкімі" in text and "Орны: Әкімдік, 305 кабинет" in text
    # R9: the veteran first, though booked later and at 10:40; then the queue.
    veteran, other = text.index("1. 10:40 — Азамат Тестұлы 2"), text.index("2. 10:00 —")
    assert veteran < other
    assert "кезектен тыс: Ұлы Отан соғысының ардагерлері" in text
    assert "Мәселе: Жол жөндеу туралы мәселе 1" in text


async def test_an_unlinked_officials_list_goes_to_the_linked_reception_staff_instead(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(MONDAY, 9))
    await w.add_official(chat_id=None)
    staff_id = await w.add_staff("reception1", Role.RECEPTION, chat_id=800_001, language="kk")
    await w.add_staff("reception2", Role.RECEPTION)  # no Telegram: cannot receive it
    await w.add_staff("operator1", Role.OPERATOR, chat_id=800_002)  # not a stand-in
    day_id, _ = await _day_with_two(w)
    await w.advance(at(WEDNESDAY, 13))

    (row,) = await w.rows(kind="day-list")
    assert row["chat_id"] == "800001"
    text = text_of(row)
    assert text.startswith("Серік Бекқожа Telegram-ды қоспаған, сондықтан")  # in kk
    assert "Азамат Тестұлы 1" in text and "Азамат Тестұлы 2" in text
    (job,) = await w.jobs(rr.DAY_LIST)
    assert job.payload["outcome"]["delivered_to"] == "reception-staff"
    assert job.payload["outcome"]["staff"] == [staff_id]
    async with uow_factory(readonly=True) as uow:
        actions = (
            (
                await uow.connection.execute(
                    select(audit_log.c.action).where(audit_log.c.object_id == str(day_id))
                )
            )
            .scalars()
            .all()
        )
    assert "official.day-list.reception-staff" in actions
    # The staff have the list: no morning summary goes to anyone, and the job says why.
    (morning,) = await w.jobs(rr.MORNING)
    assert (morning.state, morning.last_error) == ("dropped", rr.OFFICIAL_NOT_LINKED)


async def test_with_nobody_linked_the_list_is_kept_as_undeliverable(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(MONDAY, 9))
    await w.add_official(chat_id=None)
    await _day_with_two(w)
    await w.advance(LIST_TIME)
    (row,) = await w.rows(kind="day-list")
    assert (row["channel"], row["status"]) == ("none", "undeliverable")
    assert "Азамат Тестұлы 2" in text_of(row)
    (job,) = await w.jobs(rr.DAY_LIST)
    assert (job.state, job.payload["outcome"]["delivered_to"]) == ("done", "undeliverable")


async def test_bookings_added_or_cancelled_after_the_list_went_out_are_sent_as_updates(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(MONDAY, 9))
    await w.add_official(chat_id=900_001)
    _, slots = await w.add_day(WEDNESDAY)
    first = await w.add_citizen(1)
    first_request = await w.book(first, 1, slots[0])
    await w.advance(LIST_TIME)
    assert len(await w.rows(kind="day-list")) == 1

    w.clock.set(at(TUESDAY, 17))  # after the list: one more booking, one withdrawal
    await w.book(await w.add_citizen(2), 2, slots[1])
    await w.run()
    async with uow_factory() as uow:
        await withdraw_by_citizen(uow, w.rules, first, first_request)
        await uow.commit()
    await w.run(at(TUESDAY, 17, 5))
    await w.run(at(TUESDAY, 18))  # nothing else changed: nothing else is said

    added, removed = [text_of(r) for r in await w.rows(kind="day-list-update")]
    assert "Добавлен(а):" in added and "2. 10:20 — Азамат Тестұлы 2" in added
    assert "Запись отменена: Азамат Тестұлы 1" in removed
    assert "Записано: 1." in removed


async def test_the_morning_summary_reaches_the_official_at_the_profiles_time(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(MONDAY, 9))
    await w.add_official(chat_id=900_001)
    await _day_with_two(w)
    await w.advance(at(WEDNESDAY, 9))
    (row,) = await w.rows(kind="morning")
    assert local(row["created_at"]) == at(WEDNESDAY, 8, 30)
    assert text_of(row).splitlines()[0] == "Сегодня, 4 марта 2026 г., ваш личный прием: записано 2."
    assert "10:40 — Азамат Тестұлы 2 (вне очереди)" in text_of(row)


async def test_an_official_and_a_staff_member_link_telegram_with_a_code_and_unlink(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(MONDAY, 9))
    official_id = await w.add_official(chat_id=None, language="kk")
    staff_id = await w.add_staff("reception1", Role.RECEPTION)
    async with uow_factory() as uow:
        official_code, _ = await issue_link_code(
            uow,
            SqlLinkCodeRepository(uow.connection),
            w.clock,
            Actor.staff(staff_id),
            official_id,
        )
        staff_code, _ = await issue_staff_link_code(
            uow, SqlStaffLinkCodes(uow.connection), w.clock, Actor.staff(staff_id), staff_id
        )
        await uow.commit()
    telegram = FakeTelegram()
    bot = fake_bot(telegram)
    dispatcher = build_dispatcher(
        uow_factory=uow_factory,
        dialog=make_dialog(w.data_dir, w.clock),
        documents=w.profile.documents,
        clock=w.clock,
    )
    official, staff = TelegramUser(telegram, 555_001), TelegramUser(telegram, 555_002, lang="ru")
    for user in (official, staff):
        user.now = w.clock.now()

    async def send(user: TelegramUser, text: str) -> str:
        await dispatcher.feed_update(bot, as_update(bot, user.text(text)))
        return text_of((await w.rows(chat_id=str(user.id)))[-1])

    assert (await send(official, f"/start {official_code}")).startswith("Дайын: бұл чат")
    assert (await send(staff, f"/start {staff_code}")).startswith("Готово: этот чат подключен")
    assert (await send(staff, f"/start {official_code}")) == (
        "Код не найден или срок его действия истек."  # a code works once
    )
    async with uow_factory(readonly=True) as uow:
        assert (await uow.schedule.get_official(official_id)).telegram_chat_id == 555_001
        assert (await uow.staff.get(staff_id)).telegram_chat_id == 555_002
        logged = (
            (
                await uow.connection.execute(
                    select(messages.c.text).where(messages.c.chat_id == str(official.id))
                )
            )
            .scalars()
            .all()
        )
    assert logged == ["/start ********"]  # R39 logged; the code, a credential, masked
    assert "Чат отключен: Қызметкер reception1." in await send(staff, "/unlink")
    assert await send(staff, "/unlink") == (
        "Этот чат не подключен ни к одному должностному лицу или сотруднику."
    )
    async with uow_factory(readonly=True) as uow:
        assert (await uow.staff.get(staff_id)).telegram_chat_id is None
        texts = (
            (await uow.connection.execute(select(audit_log.c.action).order_by(audit_log.c.id)))
            .scalars()
            .all()
        )
    assert {"official.telegram_linked", "staff.telegram_linked", "staff.telegram_unlinked"} <= set(
        texts
    )


async def test_an_official_whose_console_account_has_telegram_gets_the_list_there(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(MONDAY, 9))
    official_id = await w.add_official(chat_id=None)
    await w.add_staff("reception1", Role.RECEPTION, chat_id=800_001)
    akim = await w.add_staff("akim", Role.OFFICIAL, chat_id=800_009)
    async with uow_factory() as uow:  # the official's own console account, linked
        user = await uow.staff.get(akim)
        user.official_id = official_id
        await uow.staff.update(user)
        await uow.commit()
    await _day_with_two(w)
    await w.advance(LIST_TIME)
    (row,) = await w.rows(kind="day-list")
    assert row["chat_id"] == "800009" and "не подключил" not in text_of(row)
    (job,) = await w.jobs(rr.DAY_LIST)
    assert job.payload["outcome"]["delivered_to"] == "official"
