"""The dialog on WhatsApp, end to end: signed Cloud API webhooks in, the fake Graph API
recording what goes out. Full bookings in Russian and in Kazakh (the latter as a
representative with a power of attorney sent as a PDF, R7), without ever asking for the
phone (the WhatsApp id is the phone), and long menus paged within WhatsApp's 10 rows."""

from __future__ import annotations

import json

from reception.schedule import Topic
from tests.e2e.fake_graph import SentMessage
from tests.e2e.whatsapp_support import *  # noqa: F403
from tests.e2e.whatsapp_support import Citizen, WhatsApp
from tests.integration.dialog_support import (
    APPLICANT_IIN,
    PDF,
    PRINCIPAL_IIN,
    QUESTION,
    t,
)


async def answer_the_booking_questions(citizen: Citizen, wa: WhatsApp, lang: str) -> None:
    """From the identity document to the confirmed summary (shared by both bookings)."""
    await citizen.tap("idtype:id-card")
    assert t(lang, "booking-ask-id-number", document=t(lang, "id-type-id-card")) in citizen.text
    await citizen.say("012345678")
    assert t(lang, "booking-ask-topic") in citizen.text
    await citizen.tap(f"topic:{wa.world.roads_topic_id}")
    await citizen.tap(f"official:{wa.world.akim_id}")
    assert t(lang, "booking-ask-question") in citizen.text
    await citizen.say(QUESTION[lang])
    for _ in range(4):  # R18: admissibility questions, each answered "no"
        await citizen.tap("no")
    assert t(lang, "booking-ask-priority") in citizen.text
    await citizen.tap("priority:none")
    await citizen.tap("format:in_person")
    await citizen.tap("rlang:" + lang)
    assert t(lang, "booking-ask-slot") in citizen.text
    await citizen.tap(f"slot:{wa.world.slot_ids[0]}")
    assert t(lang, "summary-title") in citizen.text
    await citizen.tap("confirm")


def everything_sent(wa: WhatsApp, citizen: Citizen) -> list[SentMessage]:
    return wa.graph.to(citizen.wa_id)


async def test_a_full_booking_in_russian_registers_the_request_with_the_whatsapp_phone(
    wa: WhatsApp,
):
    citizen = wa.citizen("77011234567", "Серик")
    await citizen.say("Здравствуйте")
    await citizen.tap("lang:ru")
    assert t("ru", "consent-text").splitlines()[0] in citizen.text  # R36 before any data
    await citizen.tap("consent:yes")
    await citizen.tap("menu:book")
    await citizen.tap("rep:self")
    await citizen.say("Ахметов Серик Болатович")
    await citizen.say(APPLICANT_IIN)
    # The phone is never asked on WhatsApp: the next question is the identity document.
    assert t("ru", "booking-ask-id-type") in citizen.text
    await answer_the_booking_questions(citizen, wa, "ru")

    [request] = await wa.rows("select * from requests")
    assert request["channel"] == "whatsapp"
    assert request["applicant_phone"] == "+77011234567"
    assert request["applicant_name"] == "Ахметов Серик Болатович"
    assert request["status"] == "registered" and request["slot_id"] == wa.world.slot_ids[0]
    assert f"Номер: {request['number']}" in citizen.text
    assert "Дата регистрации: 2 марта 2026 г." in citizen.text  # R20, in the citizen's words
    everything = everything_sent(wa, citizen)
    for phone_question in ("booking-ask-phone", "booking-ask-phone-or-share"):
        assert not any(t("ru", phone_question) in m.text for m in everything)
    # Every reply went out within WhatsApp's limits (the fake refuses anything else) and is
    # recorded with the wamid Meta gave it.
    assert wa.graph.refused == []
    outbox = await wa.rows("select status, external_id from outbox where channel = 'whatsapp'")
    assert {row["status"] for row in outbox} == {"sent"}
    assert {row["external_id"] for row in outbox} <= {m.wamid for m in everything}
    # R39: every message in and out is logged.
    counts = await wa.rows("select direction, count(*) as n from messages group by direction")
    logged = {row["direction"]: row["n"] for row in counts}
    assert logged["in"] == await wa.scalar("select count(*) from inbound")
    assert logged["out"] == len(outbox)


async def test_a_full_booking_in_kazakh_as_a_representative_with_a_pdf_power_of_attorney(
    wa: WhatsApp,
):
    citizen = wa.citizen("77051112233", "Айгүл")
    await citizen.say("Сәлеметсіз бе")
    await citizen.tap("lang:kk")
    await citizen.tap("consent:yes")
    assert t("kk", "menu-ask") in citizen.text
    await citizen.tap("menu:book")
    await citizen.tap("rep:person")
    await citizen.say("Сәрсенова Айгүл Маратқызы")
    await citizen.say(APPLICANT_IIN)
    assert t("kk", "booking-ask-principal-name") in citizen.text
    await citizen.say("Жақсылықов Болат Серікұлы")
    await citizen.say(PRINCIPAL_IIN)
    assert "сенімхат" in citizen.text.lower()
    media_id = wa.graph.add_media(PDF, "application/pdf")
    await citizen.document(media_id, "сенімхат.pdf", "application/pdf")
    assert t("kk", "booking-ask-id-type") in citizen.text
    await answer_the_booking_questions(citizen, wa, "kk")

    [request] = await wa.rows("select * from requests")
    assert (request["representation"], request["principal_id_number"]) == ("person", PRINCIPAL_IIN)
    assert request["applicant_phone"] == "+77051112233"
    assert request["reception_language"] == "kk"
    [document] = await wa.rows(
        "select * from documents where id = :id", id=request["poa_document_id"]
    )
    assert (document["kind"], document["mime_type"], document["channel"]) == (
        "power_of_attorney",
        "application/pdf",
        "whatsapp",
    )
    assert document["file_name"] == "сенімхат.pdf" and document["size"] == len(PDF)
    assert f"Нөмірі: {request['number']}" in citizen.text
    assert "Тіркелген күні: 2 наурыз 2026 ж." in citizen.text
    assert wa.graph.refused == []


async def test_a_menu_longer_than_ten_rows_is_paged_and_a_row_of_the_second_page_works(
    wa: WhatsApp,
):
    async with wa.uow_factory() as uow:
        for n in range(1, 13):
            await uow.schedule.add_topic(
                Topic(f"topic-{n}", f"Тақырып {n}", f"Тема номер {n}", official_id=wa.world.akim_id)
            )
        await uow.commit()
    citizen = wa.citizen()
    await citizen.say("Здравствуйте")
    for step in ("lang:ru", "consent:yes", "menu:book", "rep:self"):
        await citizen.tap(step)
    await citizen.say("Ахметов Серик Болатович")
    await citizen.say(APPLICANT_IIN)
    await citizen.tap("idtype:passport")
    await citizen.say("N1234567")

    [first_page] = citizen.last
    rows = [row_id for row_id, _ in first_page.choices]
    assert len(rows) == 10  # 14 topics: 7 on this page, "more", back and cancel
    assert rows[-2:] == ["nav:back", "nav:cancel"] and rows[-3].startswith("wa:more:")
    assert first_page.text == t("ru", "booking-ask-topic")

    await citizen.tap(rows[-3])
    [second_page] = citizen.last
    second = dict(second_page.choices)
    assert second_page.text == t("ru", "whatsapp-list-page", page=2, pages=2)
    assert "Тема номер 12" in second.values() and "nav:cancel" in second
    assert not set(second) & set(rows[:7])  # other topics than the first page's
    state = await wa.scalar("select state from conversations")
    assert state == "book.topic"  # paging does not move the dialog

    last_topic = next(row_id for row_id, title in second_page.choices if title == "Тема номер 12")
    await citizen.tap(last_topic)
    assert t("ru", "booking-ask-official") in citizen.text  # the booking goes on
    data = await wa.scalar("select data from conversations")
    data = json.loads(data) if isinstance(data, str) else data
    assert data["draft"]["topic"] == int(last_topic.removeprefix("topic:"))
    # The paging tap is a message like any other: logged and de-duplicated (R39).
    logged = await wa.rows("select payload from messages where direction = 'in'")
    assert any(str(row["payload"]).find("wa:more:") >= 0 for row in logged)
