"""Delivery on WhatsApp: the 24-hour window and templates (R38), statuses that only move
forward, failures visible to staff, throttling and retries, and the number's rate."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from sqlalchemy import text

from app.keys import PROFILE, UOW_FACTORY
from app.server import build_app
from bot.flow.events import Reply
from bot.outbox.hub import OUTBOX_HUB
from bot.whatsapp.webhook import WHATSAPP
from reception.actors import Actor
from reception.citizens import Role, StaffUser
from reception.clock import FixedClock
from reception.notifications import NoticeKind, Notification
from reception.ports import OutboxItem
from reception.requests import BookingRequest, Channel
from reception.services.context import Rules
from reception.services.handoff import operator_reply
from reception.services.requests import apply_transition, register_request
from tests.e2e.fake_graph import FakeGraph
from tests.e2e.whatsapp_support import *  # noqa: F403
from tests.e2e.whatsapp_support import Citizen, WhatsApp, settings_for, status_body
from tests.integration.dialog_support import APPLICANT_IIN, NOW, QUESTION, t

STAFF = Actor.staff(1)


def rules(wa: WhatsApp) -> Rules:
    return Rules.build(wa.client.app[PROFILE], wa.clock)


def wake(wa: WhatsApp) -> None:
    wa.client.app[OUTBOX_HUB].wake()


async def consented_citizen(wa: WhatsApp, wa_id: str = "77011234567") -> tuple[Citizen, int]:
    citizen = wa.citizen(wa_id)
    await citizen.say("Здравствуйте")
    await citizen.tap("lang:ru")
    await citizen.tap("consent:yes")
    citizen_id = await wa.scalar("select citizen_id from conversations where chat_id = :c", c=wa_id)
    return citizen, citizen_id


async def registered_request(wa: WhatsApp, citizen: Citizen, citizen_id: int) -> BookingRequest:
    draft = BookingRequest(
        citizen_id=citizen_id,
        official_id=wa.world.akim_id,
        channel=Channel.WHATSAPP,
        question=QUESTION["ru"],
        applicant_name="Ахметов Серик Болатович",
        applicant_iin=APPLICANT_IIN,
        applicant_phone="+" + citizen.wa_id,
    )
    async with wa.uow_factory() as uow:
        request, _ = await register_request(uow, rules(wa), draft, Actor.citizen(citizen_id))
        await uow.commit()
    wake(wa)
    await wa.settle()
    citizen.read()
    return request


async def staff_asks_for_a_fix(wa: WhatsApp, request_id: int) -> None:
    async with wa.uow_factory() as uow:
        await apply_transition(
            uow, rules(wa), request_id, "request_fix", STAFF, requirements=["подпись заявителя"]
        )
        await uow.commit()
    wake(wa)
    await wa.settle()


async def outbox_row(wa: WhatsApp, kind: str) -> dict:
    rows = await wa.rows("select * from outbox where kind = :k order by id desc", k=kind)
    return dict(rows[0])


async def test_r38_within_24_hours_a_notice_goes_as_free_form_text(wa: WhatsApp):
    citizen, citizen_id = await consented_citizen(wa)
    request = await registered_request(wa, citizen, citizen_id)
    wa.clock.set(NOW + timedelta(hours=23))

    await staff_asks_for_a_fix(wa, request.id)

    [notice] = citizen.read()
    assert notice.type == "text"
    assert f"Заявка {request.number} требует исправления: подпись заявителя" in notice.text
    assert (await outbox_row(wa, "fix-request"))["status"] == "sent"


async def test_r38_after_24_hours_a_fix_request_goes_as_its_template_with_parameters(
    wa: WhatsApp,
):
    citizen, citizen_id = await consented_citizen(wa)
    request = await registered_request(wa, citizen, citizen_id)
    wa.clock.set(NOW + timedelta(hours=25))

    await staff_asks_for_a_fix(wa, request.id)

    [notice] = citizen.read()
    assert notice.type == "template"
    assert notice.body["template"]["name"] == "reception_fix_request"
    assert notice.body["template"]["language"] == {"code": "ru"}
    number, requirements, fix_due = notice.template_params
    assert (number, requirements) == (request.number, "подпись заявителя")
    assert fix_due.endswith("2026 г.")  # the date written the citizen's way
    row = await outbox_row(wa, "fix-request")
    assert (row["status"], row["external_id"]) == ("sent", notice.wamid)


async def test_r38_a_status_change_template_carries_the_whole_notice_on_one_line(wa: WhatsApp):
    citizen, citizen_id = await consented_citizen(wa)
    wa.clock.set(NOW + timedelta(days=3))

    await registered_request(wa, citizen, citizen_id)  # "registered": a status change

    [notice] = wa.graph.to(citizen.wa_id)[-1:]
    assert notice.body["template"]["name"] == "reception_status"
    number, text = notice.template_params
    assert number.startswith("2026-") and "\n" not in text
    assert text.startswith(
        t(
            "ru", "notice-registered", number="x", registration_date="x", answer_due="x"
        ).splitlines()[0]
    )


async def test_r38_after_24_hours_without_a_template_the_notice_is_undeliverable_for_staff(
    wa: WhatsApp,
):
    citizen, citizen_id = await consented_citizen(wa)
    request = await registered_request(wa, citizen, citizen_id)
    wa.clock.set(NOW + timedelta(days=2))
    sent_before = len(wa.graph.sent)

    async with wa.uow_factory() as uow:  # no template is configured for reminders
        reminder = Notification(
            NoticeKind.REMINDER,
            citizen_id,
            request.id,
            "notice-reminder",
            {"number": request.number, "when": "2026-03-11T05:00:00+00:00", "place": "305"},
        )
        await uow.outbox.add_notices([reminder], wa.clock.now())
        await uow.commit()
    wake(wa)
    await wa.settle()

    row = await outbox_row(wa, "reminder")
    assert row["status"] == "undeliverable"
    assert "24-hour window" in row["error"] and "no template for reminder" in row["error"]
    assert len(wa.graph.sent) == sent_before


async def test_r38_an_operator_reply_after_24_hours_is_undeliverable(wa: WhatsApp):
    citizen, _ = await consented_citizen(wa)
    await citizen.tap("nav:operator")
    conversation_id = await wa.scalar("select id from conversations")
    wa.clock.set(NOW + timedelta(hours=30))

    async with wa.uow_factory() as uow:
        operator = await uow.staff.add(
            StaffUser("operator", "Оператор Тест", Role.OPERATOR, "not-a-real-hash")
        )
        await operator_reply(
            uow, rules(wa), conversation_id, Actor.staff(operator.id), text="Добрый день!"
        )
        await uow.commit()
    wake(wa)
    await wa.settle()

    row = await outbox_row(wa, "operator")
    assert row["status"] == "undeliverable"
    assert "a reply cannot go as a template" in row["error"]
    assert citizen.read() == []


async def test_meta_refusing_free_form_as_outside_the_window_brings_the_template(wa: WhatsApp):
    citizen, citizen_id = await consented_citizen(wa)
    request = await registered_request(wa, citizen, citizen_id)
    wa.graph.fail_next(400, 131047, "Re-engagement message")

    await staff_asks_for_a_fix(wa, request.id)

    [notice] = citizen.read()
    assert notice.body["template"]["name"] == "reception_fix_request"


async def test_statuses_only_move_forward_and_a_failed_one_is_shown_to_staff(wa: WhatsApp):
    citizen, _ = await consented_citizen(wa)
    first, second = wa.graph.to(citizen.wa_id)[-2:]
    at = int(NOW.timestamp())

    for status, moment in (("read", at + 20), ("delivered", at + 10), ("sent", at + 5)):
        response = await wa.post(status_body(first.wamid, status, moment, citizen.wa_id))
        assert response.status == 200
    await wa.post(
        status_body(
            second.wamid,
            "failed",
            at + 30,
            citizen.wa_id,
            code=131026,
            title="Message undeliverable",
        )
    )
    await wa.settle()

    statuses = {
        row["wamid"]: (row["status"], row["error_code"])
        for row in await wa.rows("select * from whatsapp_statuses")
    }
    assert statuses == {first.wamid: ("read", None), second.wamid: ("failed", 131026)}
    row = (
        await wa.rows("select status, error from outbox where external_id = :w", w=second.wamid)
    )[0]
    assert (row["status"], row["error"]) == ("failed", "WhatsApp 131026: Message undeliverable")
    still = await wa.rows("select status from outbox where external_id = :w", w=first.wamid)
    assert still[0]["status"] == "sent"


async def test_a_failed_status_before_its_row_is_known_is_tried_again_then_kept(wa: WhatsApp):
    await wa.post(
        status_body(
            "wamid.NOT-YET-RECORDED",
            "failed",
            int(NOW.timestamp()),
            "77011234567",
            code=131026,
            title="Message undeliverable",
        )
    )
    await wa.settle()
    [event] = await wa.rows("select processed_at, last_error from whatsapp_events")
    assert event["processed_at"] is None and "without an outbox row" in event["last_error"]

    wa.clock.set(NOW + timedelta(hours=2))
    await wa.client.app[WHATSAPP].processor.sweep()

    [event] = await wa.rows("select processed_at, last_error from whatsapp_events")
    assert event["processed_at"] is not None
    assert (await wa.rows("select status from whatsapp_statuses"))[0]["status"] == "failed"


async def test_throttling_waits_without_counting_an_attempt_and_then_sends(wa: WhatsApp):
    citizen, citizen_id = await consented_citizen(wa)
    request = await registered_request(wa, citizen, citizen_id)
    wa.graph.fail_next(400, 130429, "Rate limit hit")

    await staff_asks_for_a_fix(wa, request.id)

    row = await outbox_row(wa, "fix-request")
    assert row["status"] == "pending" and "130429" in row["error"]
    assert row["attempts"] == 0  # a throttled try is no failure of the message
    wa.clock.set(NOW + timedelta(seconds=2))
    await asyncio.sleep(1.1)  # the chat's bucket is held for the second Meta asked
    wake(wa)
    await wait_for_status(wa, "fix-request", "sent")
    [notice] = citizen.read()
    assert "требует исправления" in notice.text


async def test_meta_server_errors_are_retried_with_backoff_and_terminal_ones_recorded(
    wa: WhatsApp,
):
    citizen, citizen_id = await consented_citizen(wa)
    request = await registered_request(wa, citizen, citizen_id)
    wa.graph.fail_next(500, 1, "An unknown error occurred")

    await staff_asks_for_a_fix(wa, request.id)

    row = await outbox_row(wa, "fix-request")
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert "HTTP 500, code 1" in row["error"]

    wa.clock.set(NOW + timedelta(seconds=6))  # the first backoff is 5 seconds
    wa.graph.fail_next(400, 131026, "Message undeliverable")
    wake(wa)
    await wait_for_status(wa, "fix-request", "failed")
    row = await outbox_row(wa, "fix-request")
    assert "code 131026: Message undeliverable" in row["error"]


async def wait_for_status(wa: WhatsApp, kind: str, status: str) -> None:
    async with asyncio.timeout(10):
        while (await outbox_row(wa, kind))["status"] != status:  # noqa: ASYNC110 (a database poll)
            await asyncio.sleep(0.02)


async def test_sending_keeps_within_the_configured_rate_of_the_number(
    aiohttp_client, migrated_url, tmp_path, graph: FakeGraph
):
    clock = FixedClock(NOW)
    assert graph.server is not None
    api_base = str(graph.server.make_url("/v21.0"))
    settings = settings_for(migrated_url, tmp_path / "data", api_base, whatsapp_rate_per_second=20)
    client = await aiohttp_client(build_app(settings, clock=clock))
    chats = [f"7701{n:07d}" for n in range(60)]
    async with client.app[UOW_FACTORY]() as uow:
        for chat in chats:  # 60 citizens who wrote a minute ago
            conversation = await uow.conversations.get_or_create("whatsapp", chat, NOW)
            conversation.last_inbound_at = NOW - timedelta(minutes=1)
            await uow.conversations.save(conversation)
        for chat in chats:
            reply = Reply("Хабарлама").to_payload()
            item = OutboxItem("whatsapp", chat, None, payload=reply, created_at=NOW)
            await uow.outbox.add(item)
        await uow.commit()

    started = time.monotonic()
    client.app[OUTBOX_HUB].wake()
    await graph.wait_for(60, seconds=30)
    elapsed = time.monotonic() - started

    # 20 a second with a burst of 2: at least (60 - 2) / 20 = 2.9 s, and never more than
    # 20 + 2 in any one second.
    assert elapsed >= 2.8, elapsed
    arrivals = [message.at for message in graph.sent]
    busiest = max(sum(1 for a in arrivals if start <= a < start + 1.0) for start in arrivals)
    assert busiest <= 22, busiest
    print(f"whatsapp rate test: 60 messages in {elapsed:.2f} s, busiest second {busiest}")


async def test_a_late_failed_status_leaves_a_message_staff_dismissed_as_they_left_it(
    wa: WhatsApp,
):
    citizen, _ = await consented_citizen(wa)
    sent = wa.graph.to(citizen.wa_id)[-1]
    at = int(NOW.timestamp())
    failed = status_body(sent.wamid, "failed", at + 30, citizen.wa_id, code=131026, title="X")
    await wa.post(failed)
    await wa.settle()
    async with wa.uow_factory() as uow:  # staff dismiss it on the undelivered page
        await uow.connection.execute(
            text("update outbox set status = 'dismissed' where external_id = :w"),
            {"w": sent.wamid},
        )
        await uow.commit()

    again = status_body(sent.wamid, "failed", at + 40, citizen.wa_id, code=131026, title="X")
    await wa.post(again)
    await wa.settle()

    row = await wa.rows("select status from outbox where external_id = :w", w=sent.wamid)
    assert row[0]["status"] == "dismissed"
