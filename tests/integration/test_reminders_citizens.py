"""What citizens receive, in their language and on their channel, through the outbox: the
booking's details with an .ics file (R7, R10), new slots after the official cancelled (R12)
chosen with one tap, the return of a request not fixed in time (R17), the notices of R13,
R23, R24 and the final answer, and the satisfaction question (R29)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from bot.flow.events import Reply
from reception import reminder_rules as rr
from reception.requests import ExtensionKind, Status
from reception.services.invitations import invite_bodies
from reception.services.requests import apply_transition, mark_reception_outcome
from reception.services.schedules import cancel_reception_day
from storage.repositories.invitations import SqlInvitationRepository
from storage.repositories.reminders import SqlFeedback
from tests.integration.dialog_support import Chat, make_dialog, rendered
from tests.integration.reminders_support import STAFF, World, at, world

MONDAY, WEDNESDAY, THURSDAY = date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 5)


async def _chat(w: World, n: int, lang: str) -> Chat:
    """The citizen's Telegram chat with the bot, as if they had talked to it before."""
    citizen = await _citizen_id(w, n)
    async with w.uow_factory() as uow:
        conversation = await uow.conversations.get_or_create(
            "telegram", w.chat_of(n), w.clock.now()
        )
        conversation.citizen_id = citizen
        conversation.data = {"lang": lang, "consent": True}
        conversation.state = "menu"
        await uow.conversations.save(conversation)
        await uow.commit()
    chat = Chat(
        w.uow_factory,
        make_dialog(w.data_dir, w.clock),
        chat_id=w.chat_of(n),
        channel="telegram",
        clock=w.clock,
        lang=lang,
    )
    await chat.read()  # what came before is not what the test looks at
    return chat


async def _citizen_id(w: World, n: int) -> int:
    async with w.uow_factory(readonly=True) as uow:
        citizen = await uow.citizens.by_channel("telegram", w.chat_of(n))
    assert citizen is not None and citizen.id is not None
    return citizen.id


async def test_a_booking_brings_its_details_and_an_ics_file_in_the_citizens_language(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(MONDAY, 9))
    await w.add_official()
    _, slots = await w.add_day(WEDNESDAY)
    citizen = await w.add_citizen(1, lang="kk")
    request_id = await w.representative(citizen, 1, slots[0])
    await w.run()

    notice, row = await w.rows(kind="booked", chat_id=w.chat_of(1))
    assert notice["message_id"] == "notice-booked"  # the use case's, then the details
    reply = Reply.from_payload(row["payload"])
    assert "4 наурыз 2026 ж., 10:00" in reply.text and "Орны: Әкімдік, 305 кабинет" in reply.text
    assert "сенімхатты" in reply.text  # R7: a representative brings the proof of authority
    assert reply.document_name == "reception-2026-03-04.ics"
    ics = (w.data_dir / str(reply.document_path)).read_text(encoding="utf-8")
    assert "DTSTART:20260304T050000Z" in ics  # 10:00 in Almaty is 05:00 UTC
    assert f"UID:request-{request_id}-slot-{slots[0]}@reception" in ics
    assert row["message_id"] == "reminder-booked-details"  # R38: the template's key


async def test_on_whatsapp_the_details_go_without_the_file(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(MONDAY, 9))
    await w.add_official()
    _, slots = await w.add_day(WEDNESDAY, video_link="https://vc.example.kz/akim")
    citizen = await w.add_citizen(1, channel="whatsapp")
    await w.book(citizen, 1, slots[0], reception_format="video")
    await w.run()
    _, row = await w.rows(kind="booked")
    reply = Reply.from_payload(row["payload"])
    assert row["channel"] == "whatsapp" and reply.document_path is None
    assert "по видеосвязи, ссылка для подключения: https://vc.example.kz/akim" in reply.text


async def test_r12_an_officials_cancellation_reaches_every_booked_applicant_with_new_slots(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(MONDAY, 9))
    await w.add_official()
    wednesday, slots = await w.add_day(WEDNESDAY)
    _, thursday_slots = await w.add_day(THURSDAY)
    language = {1: "kk", 2: "ru", 3: "ru"}
    requests = [
        await w.book(await w.add_citizen(n, lang=language[n]), n, slots[n]) for n in (1, 2, 3)
    ]
    chats = {n: await _chat(w, n, language[n]) for n in (1, 2, 3)}
    async with uow_factory() as uow:
        await cancel_reception_day(uow, w.rules, STAFF, wednesday, "іссапар / командировка")
        await uow.commit()
    await w.run(at(MONDAY, 10))

    for n, chat in chats.items():
        texts = [r.text for r in await chat.read()]
        offer = chat.last = await _offers(w, n)
        assert any("Жаңа уақытты таңдаңыз" in t or "Выберите" in t for t in texts), texts
        ids = [b.id for reply in offer for row in reply.buttons for b in row]
        assert ids[:3] == [f"ns:{requests[n - 1]}:{s}" for s in thursday_slots[:3]]

    # One tap books citizen 1 into Thursday's first slot; citizen 3 then taps the same one.
    first, third = chats[1], chats[3]
    await first.tap(f"ns:{requests[0]}:{thursday_slots[0]}")
    assert "5 наурыз 2026 ж., 10:00" in first.text  # notice-booked, in Kazakh
    refusal = await third.tap(f"ns:{requests[2]}:{thursday_slots[0]}")
    assert [r.text for r in refusal] == ["Это время уже занято. Выберите, пожалуйста, другое."]
    async with uow_factory(readonly=True) as uow:
        booked = await uow.requests.get(requests[0])
        waiting = await uow.requests.get(requests[2])
    assert (booked.status, booked.slot_id) == (Status.BOOKED, thursday_slots[0])
    assert waiting.status is Status.RESCHEDULED
    await w.run()  # the new booking's details and reminders follow, as for any booking
    assert any(j.payload.get("slot_id") == thursday_slots[0] for j in await w.jobs(rr.DAY_BEFORE))


async def _offers(w: World, n: int) -> list[Reply]:
    return [
        Reply.from_payload(r["payload"])
        for r in await w.rows(kind="rescheduled", chat_id=w.chat_of(n))
        if r["message_id"] == "reminder-slot-offer"
    ]


async def test_r17_a_fix_period_that_passes_returns_the_request_and_tells_the_citizen(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(MONDAY, 10))
    await w.add_official()
    unfixed = await w.register(await w.add_citizen(1, lang="kk"), 1)
    fixed = await w.register(await w.add_citizen(2), 2)
    async with uow_factory() as uow:
        for request_id in (unfixed, fixed):
            await apply_transition(
                uow,
                w.rules,
                request_id,
                "request_fix",
                STAFF,
                requirements=["мекенжай"],
                working_days=2,
            )
        await uow.commit()
    w.clock.set(at(date(2026, 3, 3), 11))
    async with uow_factory() as uow:
        await apply_transition(uow, w.rules, fixed, "fix_received", STAFF)
        await uow.commit()

    # Fixed by Wednesday 4 March (2 working days) or returned: on Thursday at 09:00.
    await w.advance(at(date(2026, 3, 5), 8, 59))
    async with uow_factory(readonly=True) as uow:
        assert (await uow.requests.get(unfixed)).status is Status.NEEDS_FIX
    await w.advance(at(date(2026, 3, 5), 12))
    async with uow_factory(readonly=True) as uow:
        assert (await uow.requests.get(unfixed)).status is Status.RETURNED
        assert (await uow.requests.get(fixed)).status is Status.REGISTERED
    returned = [r for r in await w.rows(kind="returned")]
    assert [r["chat_id"] for r in returned] == [w.chat_of(1)]
    assert rendered(returned[0], "kk").text.startswith("2026-000001 өтініші қайтарылды")
    jobs = {j.payload["request_id"]: (j.state, j.last_error) for j in await w.jobs(rr.FIX_RETURN)}
    assert jobs == {unfixed: ("done", None), fixed: ("dropped", rr.NOT_AWAITING_FIX)}


async def test_r13_r23_r24_and_the_final_answer_reach_the_citizen_in_their_language(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(MONDAY, 10))
    await w.add_official()
    _, slots = await w.add_day(WEDNESDAY)
    citizen = await w.add_citizen(1, lang="kk")
    extended = await w.register(citizen, 1)
    booked = await w.book(await w.add_citizen(2, lang="kk"), 2, slots[0])
    async with uow_factory() as uow:
        await apply_transition(
            uow,
            w.rules,
            extended,
            "extend",
            STAFF,
            kind=ExtensionKind.LETTER,
            until=date(2026, 4, 1),
            reason="күрделі мәселе",
        )
        await invite_bodies(
            uow,
            SqlInvitationRepository(uow.connection),
            w.rules,
            extended,
            ["Жер қатынастары бөлімі"],
            STAFF,
        )
        await apply_transition(
            uow, w.rules, extended, "draft_refusal", STAFF, text="құзыретке жатпайды"
        )
        await uow.commit()
    w.clock.set(at(WEDNESDAY, 12))
    async with uow_factory() as uow:
        await mark_reception_outcome(uow, w.rules, booked, True, STAFF)
        await apply_transition(uow, w.rules, booked, "close", STAFF, final_answer="жол жөнделеді")
        await uow.commit()
    texts = {r["kind"]: rendered(r, "kk").text for r in await w.rows()}
    assert "1 сәуір 2026 ж. дейін ұзартылды" in texts["extension"]  # R23
    assert "Жер қатынастары бөлімі" in texts["invitation"]  # R13
    assert "қарсылығыңызды" in texts["hearing"].lower()  # R24, with its window
    assert "түпкілікті жауап: жол жөнделеді" in texts["final-answer"]


async def test_r29_after_the_reception_the_citizen_scores_it_and_may_comment(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(MONDAY, 9))
    await w.add_official()
    _, slots = await w.add_day(WEDNESDAY)
    came = await w.book(await w.add_citizen(1), 1, slots[0])
    absent = await w.book(await w.add_citizen(2), 2, slots[1])
    chat = await _chat(w, 1, "ru")
    w.clock.set(at(WEDNESDAY, 12))
    async with uow_factory() as uow:
        await mark_reception_outcome(uow, w.rules, came, True, STAFF)
        await mark_reception_outcome(uow, w.rules, absent, False, STAFF)
        await uow.commit()
    await w.run()

    (question,) = await w.rows(kind="satisfaction")
    assert question["chat_id"] == w.chat_of(1)  # nobody asks the one who did not come
    reply = Reply.from_payload(question["payload"])
    assert [b.id for row in reply.buttons for b in row] == [f"sc:{came}:{n}" for n in range(1, 6)]

    assert [r.text for r in await chat.read()][-1].startswith("Как прошел прием по заявке")
    await chat.tap(f"sc:{came}:4")
    assert chat.text.startswith("Спасибо за оценку!")
    await chat.say("Принял вовремя, всё объяснили")
    assert chat.text.startswith("Спасибо, ваш отзыв сохранен.")
    async with uow_factory(readonly=True) as uow:
        stored = await SqlFeedback(uow.connection).for_request(came)
    assert stored == (4, "Принял вовремя, всё объяснили")
