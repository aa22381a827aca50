"""A citizen books a personal reception through the dialog, on SQLite and PostgreSQL.

Driven through `bot.pipeline.process` as a channel would; what the citizen sees is read back
from the outbox, rendered as the sender renders it.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

from bot.flow import states
from reception.citizens import DocumentKind
from reception.clock import FixedClock
from reception.profile import load_profile
from reception.requests import ReceptionFormat, Representation, Status
from tests.integration.dialog_support import *  # noqa: F403  (fixtures: chat, clock, dialog, world)
from tests.integration.dialog_support import (
    APPLICANT_IIN,
    JPEG,
    ORGANISATION_BIN,
    PDF,
    PRINCIPAL_IIN,
    QUESTION,
    Chat,
    World,
    all_requests,
    book,
    make_dialog,
    t,
    valid_iin,
)


async def conversation_state(uow_factory: Any, chat: Chat) -> str:
    async with uow_factory(readonly=True) as uow:
        conversation = await uow.conversations.get_or_create(
            chat.channel, chat.chat_id, chat.clock.now()
        )
    return conversation.state


async def test_r20_r21_full_booking_in_russian_tells_number_and_dates(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world, lang="ru")

    [request] = await all_requests(uow_factory)
    assert request.status is Status.REGISTERED
    assert request.registration_date == date(2026, 3, 2)  # R20: the day it arrives
    assert request.answer_due == date(2026, 3, 27)  # R21: 15 working days (8, 9 Mar off)
    assert request.slot_id == world.slot_ids[0]
    assert request.applicant_iin == APPLICANT_IIN and request.applicant_phone == "+77011234567"
    assert request.question == QUESTION["ru"] and request.channel == "web"
    assert request.reception_language == "ru" and request.grounds == []
    assert request.number is not None and request.number in chat.text
    assert "Дата регистрации: 2 марта 2026 г." in chat.text
    assert "27 марта 2026 г." in chat.text
    assert t("ru", "booking-done") in chat.text
    assert "menu:book" in [b.id for b in chat.buttons]


async def test_full_booking_in_kazakh_speaks_kazakh_and_writes_dates_the_kazakh_way(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world, lang="kk", until=states.SUMMARY)
    assert "Өтінішті тексеріңіз" in chat.text
    assert "Уақыты: 11 наурыз 2026 ж., 10:00" in chat.text
    await chat.tap("confirm")

    [request] = await all_requests(uow_factory)
    assert request.reception_language == "kk"
    assert f"Нөмірі: {request.number}" in chat.text
    assert "Тіркелген күні: 2 наурыз 2026 ж." in chat.text
    assert t("kk", "booking-done") in chat.text
    async with uow_factory(readonly=True) as uow:
        citizen = await uow.citizens.get(request.citizen_id)
    assert citizen.language == "kk"  # kept on the citizen
    assert (citizen.full_name, citizen.iin) == ("Ахметов Серик Болатович", APPLICANT_IIN)


async def test_r7_representative_of_a_person_sends_power_of_attorney(
    chat: Chat, world: World, uow_factory: Any, tmp_path: Path
) -> None:
    await book(chat, world, until=states.REPRESENTATION)
    await chat.tap("rep:person")
    await chat.say("Ахметов Серик Болатович")
    await chat.say(APPLICANT_IIN)
    await chat.say("+7 (701) 123-45-67")
    assert t("ru", "booking-ask-principal-name") in chat.text
    await chat.say("Ахметова Бибигуль Жумабаевна")
    await chat.say(valid_iin("52133140112"))  # month 13
    assert chat.text.startswith(t("ru", "error-iin-date"))
    await chat.say(PRINCIPAL_IIN)
    assert "фото или PDF (JPG, PNG, PDF, до 10 МБ)" in chat.text
    await chat.send_file(PDF, "сенімхат.pdf")
    assert t("ru", "booking-ask-id-type") in chat.text
    await finish_from_id_type(chat, world)

    [request] = await all_requests(uow_factory)
    assert request.representation is Representation.PERSON
    assert (request.principal_name, request.principal_id_number) == (
        "Ахметова Бибигуль Жумабаевна",
        PRINCIPAL_IIN,
    )
    async with uow_factory(readonly=True) as uow:
        [document] = await uow.documents.for_request(request.id)
    assert request.poa_document_id == document.id
    assert (
        document.kind is DocumentKind.POWER_OF_ATTORNEY and document.mime_type == "application/pdf"
    )
    assert document.file_name == "сенімхат.pdf" and document.size == len(PDF)
    stored = tmp_path / document.path
    assert document.path == f"documents/2026/03/{document.sha256}.pdf"
    assert stored.read_bytes() == PDF


async def test_r7_representative_of_an_organisation_gives_its_bin(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world, until=states.REPRESENTATION)
    await chat.tap("rep:organisation")
    await chat.say("Ахметов Серик Болатович")
    await chat.say(APPLICANT_IIN)
    await chat.say("87011234567")
    await chat.say("ТОО «Жол құрылыс»")
    await chat.say("080440001230")  # a wrong check digit
    assert t("ru", "error-bin-check-digit") in chat.text
    await chat.say(ORGANISATION_BIN)
    await chat.send_file(JPEG, "poa.jpg", "image/jpeg")
    await finish_from_id_type(chat, world)

    [request] = await all_requests(uow_factory)
    assert request.representation is Representation.ORGANISATION
    assert request.principal_id_number == ORGANISATION_BIN
    assert request.principal_name == "ТОО «Жол құрылыс»"


async def finish_from_id_type(chat: Chat, world: World) -> None:
    await chat.tap("idtype:id-card")
    await chat.say("045678912")
    await chat.tap(f"topic:{world.roads_topic_id}")
    await chat.tap(f"official:{world.akim_id}")
    await chat.say(QUESTION["ru"])
    for _ in range(4):
        await chat.tap("no")
    await chat.tap("priority:none")
    await chat.tap("format:in_person")
    await chat.tap("rlang:ru")
    await chat.tap("slot:queue")
    await chat.tap("confirm")


async def test_r9_priority_category_with_proof_is_kept(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world, until=states.PRIORITY)
    await chat.tap("priority:disability")
    assert t("ru", "booking-ask-priority-proof", types="JPG, PNG, PDF", max_mb=10) in chat.text
    await chat.say("у меня есть справка")  # text where a file is expected
    assert t("ru", "booking-error-expected-file") in chat.text
    await chat.send_file(JPEG, "справка.jpg", "image/jpeg")
    await chat.tap("format:video")
    await chat.tap("rlang:ru")
    await chat.tap("slot:queue")
    assert "Вне очереди: Лица с инвалидностью" in chat.text
    await chat.tap("confirm")

    [request] = await all_requests(uow_factory)
    assert request.priority_category == "disability"
    assert request.reception_format is ReceptionFormat.VIDEO  # R10, with consent
    assert request.slot_id is None  # R22: in the queue for staff to place
    async with uow_factory(readonly=True) as uow:
        [proof] = await uow.documents.for_request(request.id)
    assert proof.kind is DocumentKind.PRIORITY_PROOF and request.priority_document_id == proof.id


async def test_r17_r18_inadmissible_answer_is_explained_and_still_registers(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world, until=states.ADMISSIBILITY)
    await chat.tap("no")  # administrative decision
    await chat.tap("yes")  # a court act in force on the same question
    await chat.tap("no")
    await chat.tap("no")
    assert t("ru", "ground-court-act") in chat.text
    assert t("ru", "booking-advice-court-act") in chat.text
    assert "отказать в ее приеме не могут" in chat.text  # R17
    await chat.tap("continue")
    await chat.tap("priority:none")
    await chat.tap("format:in_person")
    await chat.tap("rlang:ru")
    await chat.tap("slot:queue")
    assert "Возможные основания для отказа в записи" in chat.text
    await chat.tap("confirm")

    [request] = await all_requests(uow_factory)
    assert request.status is Status.REGISTERED
    assert request.grounds == ["court-act"]  # staff see the ground on the request
    assert request.admissibility_answers == {
        "administrative-decision": False,
        "court-act": True,
        "returned": False,
        "withdrawn": False,
    }


async def test_r2_topic_of_central_bodies_points_to_reception_centre(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world, until=states.TOPIC)
    await chat.tap(f"topic:{world.pensions_topic_id}")
    assert "По пенсиям — в центр приема граждан." in chat.text
    assert {"topic:other", "continue"} <= {b.id for b in chat.buttons}
    await chat.tap("topic:other")
    assert t("ru", "booking-ask-topic") in chat.text
    await chat.tap(f"topic:{world.pensions_topic_id}")
    await chat.tap("continue")
    assert t("ru", "booking-ask-official") in chat.text


async def test_r37_invalid_iin_is_re_asked_naming_the_reason(chat: Chat, world: World) -> None:
    await book(chat, world, until=states.IIN)
    await chat.say("12345")
    assert chat.text.startswith(t("ru", "error-iin-length"))
    assert t("ru", "booking-ask-iin") in chat.text
    await chat.say(APPLICANT_IIN[:-1] + str((int(APPLICANT_IIN[-1]) + 1) % 10))
    assert chat.text.startswith(t("ru", "error-iin-check-digit"))
    await chat.say(APPLICANT_IIN)
    assert t("ru", "booking-ask-phone") in chat.text


async def test_r16_empty_or_short_question_is_re_asked(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world, until=states.QUESTION)
    await chat.say("на прием")
    assert chat.text.startswith(t("ru", "booking-error-question-short"))
    await chat.say("   ")
    assert chat.text.startswith(t("ru", "booking-error-question-empty"))
    assert await all_requests(uow_factory) == []  # R16: nothing is booked without it
    await chat.say(QUESTION["ru"])
    assert t("ru", "admissibility-ask-administrative-decision") in chat.text


async def test_oversized_or_wrong_type_file_is_refused_with_a_message(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world, until=states.REPRESENTATION)
    await chat.tap("rep:person")
    await chat.say("Ахметов Серик Болатович")
    await chat.say(APPLICANT_IIN)
    await chat.say("87011234567")
    await chat.say("Ахметова Бибигуль")
    await chat.say(PRINCIPAL_IIN)
    await chat.send_file(b"%PDF-" + bytes(10 * 1024 * 1024), "big.pdf")
    assert chat.text.startswith("Файл слишком большой. Пришлите файл до 10 МБ.")
    await chat.send_file(b"GIF89a" + bytes(100), "poa.pdf")  # a GIF named .pdf
    assert chat.text.startswith("Этот тип файла не подходит. Пришлите JPG, PNG, PDF.")
    async with uow_factory(readonly=True) as uow:
        conversation = await uow.conversations.get_or_create("web", chat.chat_id, chat.clock.now())
    assert conversation.state == states.POWER_OF_ATTORNEY
    assert conversation.failures == 2  # a third failure would call an operator
    await chat.send_file(PDF, "poa.pdf")
    assert t("ru", "booking-ask-id-type") in chat.text


async def test_a_channel_refusal_reaches_the_citizen(chat: Chat, world: World) -> None:
    await book(chat, world, until=states.PRIORITY)
    await chat.tap("priority:pregnant")
    await chat.send_file(None, "scan.pdf", refused="file-too-large")  # e.g. Telegram's 20 MB
    assert chat.text.startswith("Файл слишком большой.")


async def test_phone_shared_as_contact_or_typed_is_normalised_and_bad_one_re_asked(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    chat.channel = "telegram"
    await book(chat, world, until=states.PHONE)
    assert chat.last[-1].ask_contact
    await chat.say("12-34")
    assert chat.text.startswith(t("ru", "booking-error-phone"))
    await chat.share_contact("77011234567")
    assert t("ru", "booking-ask-id-type") in chat.text
    await chat.tap("nav:back")
    await chat.say("8 (702) 555 44 33")
    await finish_from_id_type(chat, world)
    [request] = await all_requests(uow_factory)
    assert request.applicant_phone == "+77025554433" and request.channel == "telegram"


async def test_whatsapp_chat_id_is_the_phone_so_it_is_not_asked(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    chat.channel, chat.chat_id = "whatsapp", "77017778899"
    await book(chat, world, until=states.PHONE)
    assert t("ru", "booking-ask-id-type") in chat.text
    await finish_from_id_type(chat, world)
    [request] = await all_requests(uow_factory)
    assert request.applicant_phone == "+77017778899"


async def test_back_returns_to_the_previous_step_and_cancel_drops_the_booking(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world, until=states.ID_TYPE)
    await chat.tap("nav:back")
    assert t("ru", "booking-ask-phone") in chat.text
    await chat.tap("nav:back")
    assert t("ru", "booking-ask-iin") in chat.text
    await chat.tap("nav:cancel")
    assert chat.text.startswith(t("ru", "booking-cancelled"))
    assert await conversation_state(uow_factory, chat) == states.MENU
    await chat.say("/start")
    assert t("ru", "menu-ask") in chat.text
    assert await all_requests(uow_factory) == []


async def test_r8_foreign_document_brings_the_interpreter_question(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world, until=states.ID_TYPE)
    await chat.tap("idtype:residence-permit")
    await chat.say("AB 1234567")
    await chat.tap(f"topic:{world.roads_topic_id}")
    await chat.tap(f"official:{world.deputy_id}")
    await chat.say(QUESTION["ru"])
    for _ in range(4):
        await chat.tap("no")
    await chat.tap("priority:none")
    await chat.tap("format:in_person")
    await chat.tap("rlang:ru")
    assert t("ru", "booking-ask-interpreter") in chat.text
    await chat.tap("yes")
    assert t("ru", "booking-slot-none") in chat.text  # the deputy has no reception days
    await chat.tap("slot:queue")
    assert t("ru", "summary-interpreter") in chat.text
    await chat.tap("confirm")
    [request] = await all_requests(uow_factory)
    assert request.interpreter_needed and request.id_doc_number == "AB1234567"
    assert request.official_id == world.deputy_id and request.slot_id is None


async def test_r10_restrictive_mode_books_video_conference_only(
    uow_factory: Any, world: World, tmp_path: Path, clock: FixedClock
) -> None:
    profile = dataclasses.replace(load_profile("typical-2023"), restrictive_mode=True)
    chat = Chat(uow_factory, make_dialog(tmp_path, clock, profile), clock=clock)
    await book(chat, world, until=states.PRIORITY)
    await chat.tap("priority:none")
    assert t("ru", "booking-format-video-only") in chat.text
    assert t("ru", "booking-ask-reception-language") in chat.text
    await chat.tap("rlang:ru")
    await chat.tap("slot:queue")
    await chat.tap("confirm")
    [request] = await all_requests(uow_factory)
    assert request.reception_format is ReceptionFormat.VIDEO


async def test_slot_taken_by_someone_else_before_confirming_offers_the_slots_again(
    chat: Chat, world: World, uow_factory: Any, dialog: Any, clock: FixedClock
) -> None:
    await book(chat, world, until=states.SUMMARY)
    rival = Chat(uow_factory, dialog, chat_id="5002", clock=clock)
    await book(rival, world)  # takes the same, first slot
    await chat.tap("confirm")
    assert chat.text.startswith(t("ru", "error-slot-taken"))
    assert f"slot:{world.slot_ids[0]}" not in [b.id for b in chat.buttons]
    await chat.tap(f"slot:{world.slot_ids[1]}")
    await chat.tap("confirm")
    requests = await all_requests(uow_factory)
    assert [r.slot_id for r in requests] == world.slot_ids[:2]


async def test_one_active_request_per_official_is_explained(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world)
    await book(chat, world, slot=False, again=True)
    assert t("ru", "booking-active-exists") in chat.text
    assert len(await all_requests(uow_factory)) == 1
