"""The undelivered messages page: what the bot could not deliver, sent again or dismissed by
staff (issue 4; R37 no personal data in plain form, R38 the WhatsApp window, R39 audit), and
the menu entries of the reception staff. On SQLite and PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

import re
from collections import deque
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from bot.flow.events import Reply
from bot.outbox import OutboxSender, SendResult
from bot.pipeline import shared_writer
from console.templating import NAV
from reception.ports import OutboxItem
from storage.repositories.outbox_failures import UNDELIVERED
from storage.tables import conversations, outbox
from tests.e2e.console_ops_support import visible_text
from tests.e2e.console_support import *  # noqa: F403
from tests.e2e.console_support import START, Console, make_iin, shared_translator

PAGE = "/console/undelivered"
IIN = make_iin(7)
PHONE = "+77015554433"
_ROW = re.compile(r'data-outbox-id="(\d+)"')


async def undelivered(console: Console, **columns: Any) -> int:
    """An outbox row as the sender leaves one it gave up on (`failed_row`'s columns)."""
    async with console.uow_factory() as uow:
        statement = insert(outbox).values(failed_row(**columns)).returning(outbox.c.id)
        row_id = (await uow.connection.execute(statement)).scalar_one()
        await uow.commit()
    return int(row_id)


def failed_row(
    *,
    text: str = "Ваша заявка зарегистрирована",
    status: str = "failed",
    channel: str = "telegram",
    chat_id: str = "chat-1",
    citizen_id: int | None = None,
    request_id: int | None = None,
    created_at: datetime = START - timedelta(hours=2),
    next_attempt_at: datetime | None = None,  # half an hour after `created_at`
    attempts: int = 10,
    error: str = "gave up after 10 attempts: 502 Bad Gateway",
) -> dict[str, Any]:
    """The columns of an outbox row the sender gave up on."""
    return {
        "channel": channel,
        "chat_id": chat_id,
        "citizen_id": citizen_id,
        "request_id": request_id,
        "kind": "reply",
        "message_id": None,
        "args": {},
        "payload": {"text": text},
        "status": status,
        "attempts": attempts,
        "next_attempt_at": next_attempt_at or created_at + timedelta(minutes=30),
        "created_at": created_at,
        "error": error,
    }


async def many_undelivered(console: Console, count: int) -> list[int]:
    """`count` failed rows, one a minute, oldest first."""
    first = START - timedelta(days=1)
    rows = [
        failed_row(
            text=f"Сообщение номер {n:03d}",
            chat_id=f"chat-{n}",
            created_at=first + timedelta(minutes=n),
            next_attempt_at=first + timedelta(minutes=n),
            error="502",
        )
        for n in range(count)
    ]
    async with console.uow_factory() as uow:
        await uow.connection.execute(insert(outbox), rows)
        await uow.commit()
    ids = await console.rows("select id from outbox order by id")
    return [row["id"] for row in ids]


async def conversation_of(console: Console, channel: str, chat_id: str, citizen_id: int) -> int:
    async with console.uow_factory() as uow:
        conversation_id = (
            await uow.connection.execute(
                insert(conversations)
                .values(
                    channel=channel,
                    chat_id=chat_id,
                    citizen_id=citizen_id,
                    state="menu",
                    data={"lang": "ru"},
                    version=1,
                    mode="bot",
                    failures=0,
                    updated_at=START,
                )
                .returning(conversations.c.id)
            )
        ).scalar_one()
        await uow.commit()
    return int(conversation_id)


async def row_of(console: Console, row_id: int) -> dict[str, Any]:
    """The stored row, read through the table's own types (moments come back aware)."""
    async with console.uow_factory(readonly=True) as uow:
        found = await uow.connection.execute(select(outbox).where(outbox.c.id == row_id))
        return dict(found.mappings().one())


async def audit_of(console: Console, row_id: int) -> list[tuple[str, str, int]]:
    rows = await console.rows(
        "select action, actor_kind, actor_id from audit_log"
        " where object_type = 'outbox' and object_id = :id order by id",
        id=str(row_id),
    )
    return [(r["action"], r["actor_kind"], r["actor_id"]) for r in rows]


def listed(html: str) -> list[int]:
    return [int(found) for found in _ROW.findall(html)]


# -- the list ------------------------------------------------------------------------------


async def test_staff_see_what_was_not_delivered_newest_first_with_its_chat_and_request(
    console,
) -> None:
    booking = await console.seed_request(1)  # citizen 1 writes from telegram chat-1
    chat = await conversation_of(console, "telegram", "chat-1", booking.citizen_id)
    older = await undelivered(
        console,
        text=f"Ваш ИИН {IIN}, телефон {PHONE}: проверьте данные",
        citizen_id=booking.citizen_id,
        request_id=booking.id,
        created_at=START - timedelta(hours=3),
    )
    newer = await undelivered(
        console,
        text="Напоминаем о приёме завтра",
        status="undeliverable",
        channel="whatsapp",
        chat_id="77015554433",
        error="R38: outside WhatsApp's 24-hour window; no template for reminder",
        attempts=1,
        created_at=START - timedelta(hours=1),
    )
    await undelivered(console, text="Это сообщение ушло", status="sent")
    await undelivered(console, text="Это сообщение ещё в очереди", status="pending")
    await console.login("operator")

    response = await console.client.get(PAGE)
    html = await response.text()
    text = visible_text(html)

    assert response.status == 200
    assert listed(html) == [newer, older]
    assert "Это сообщение ушло" not in text and "ещё в очереди" not in text
    assert "Напоминаем о приёме завтра" in text
    assert "проверьте данные" in text
    # R37: the IIN and the phone in the message, and the WhatsApp chat id (a phone), masked.
    assert IIN not in html and PHONE not in html and "77015554433" not in html
    assert "outside WhatsApp's 24-hour window" in text
    assert "Канал не позволяет доставить" in text and "Не удалось отправить" in text
    # Times in Almaty: created 07:00 (START 10:00 minus 3 h); tried last 30 minutes later.
    assert "11 февраля 2026 г., 07:00" in text and "11 февраля 2026 г., 07:28" in text
    assert f'href="/console/operators/chats/{chat}"' in html
    assert f'href="/console/requests/{booking.id}"' in html
    assert booking.number in text
    assert "2 сообщения ждут решения" in text


async def test_reception_staff_see_the_page_but_no_chat_link(console) -> None:
    booking = await console.seed_request(1)
    await conversation_of(console, "telegram", "chat-1", booking.citizen_id)
    await undelivered(console, citizen_id=booking.citizen_id, request_id=booking.id)
    await console.login("reception")

    html = await (await console.client.get(PAGE)).text()

    assert "/console/operators/chats/" not in html  # the chat is the operators' screen
    assert f'href="/console/requests/{booking.id}"' in html


async def test_the_list_pages_by_fifty_newest_first_and_back(console) -> None:
    ids = await many_undelivered(console, 120)
    newest_first = ids[::-1]
    await console.login("reception")

    first = await (await console.client.get(PAGE)).text()
    assert listed(first) == newest_first[:50]
    assert 'rel="prev"' not in first

    second_url = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = await (await console.client.get(second_url)).text()
    assert listed(second) == newest_first[50:100]

    third_url = re.search(r'rel="next" href="([^"]+)"', second).group(1).replace("&amp;", "&")
    third = await (await console.client.get(third_url)).text()
    assert listed(third) == newest_first[100:]
    assert 'rel="next"' not in third

    back_url = re.search(r'rel="prev" href="([^"]+)"', third).group(1).replace("&amp;", "&")
    back = await (await console.client.get(back_url)).text()
    assert listed(back) == newest_first[50:100]
    back_again = re.search(r'rel="prev" href="([^"]+)"', back).group(1).replace("&amp;", "&")
    assert listed(await (await console.client.get(back_again)).text()) == newest_first[:50]


async def test_the_list_filters_by_what_went_wrong(console) -> None:
    failed = await undelivered(console, status="failed")
    window = await undelivered(console, status="undeliverable", channel="whatsapp")
    await console.login("operator")

    only_failed = await (await console.client.get(f"{PAGE}?status=failed")).text()
    only_window = await (await console.client.get(f"{PAGE}?status=undeliverable")).text()

    assert listed(only_failed) == [failed]
    assert listed(only_window) == [window]


# -- retry and dismiss ---------------------------------------------------------------------


async def test_retry_puts_the_message_back_in_the_queue_and_the_sender_delivers_it(
    console,
) -> None:
    row_id = await undelivered(console, text="Ваша заявка зарегистрирована")
    csrf = await console.login("operator")
    later = START + timedelta(minutes=5)
    console.clock.set(later)

    response = await console.post(f"{PAGE}/{row_id}/retry", {}, csrf)

    assert response.status == 303
    assert "console-done-ops-undelivered-retried" in response.headers["Location"]
    row = await row_of(console, row_id)
    assert (row["status"], row["attempts"]) == ("pending", 0)
    assert row["next_attempt_at"] == later
    operator_id = console.users["operator"].id
    assert await audit_of(console, row_id) == [("outbox.retry", "staff", operator_id)]
    page = await (await console.client.get(response.headers["Location"])).text()
    assert row_id not in listed(page)
    assert "Сообщение снова поставлено в очередь на отправку." in visible_text(page)

    # The outbox sender takes it in its next round.
    channel = Recording()
    sender = OutboxSender(
        shared_writer(console.uow_factory),
        [channel],
        shared_translator(),
        console.clock,
        monotonic=lambda: console.clock.now().timestamp(),
    )
    await sender.run_once()
    await sender.flush()
    assert channel.texts == ["Ваша заявка зарегистрирована"]
    assert (await row_of(console, row_id))["status"] == "sent"


async def test_the_last_attempt_is_when_the_sender_last_tried(console) -> None:
    async with console.uow_factory() as uow:
        item = await uow.outbox.add(
            OutboxItem(
                channel="telegram",
                chat_id="chat-1",
                citizen_id=None,
                payload=Reply("Ваш приём перенесён").to_payload(),
                created_at=START,
                next_attempt_at=START,
            )
        )
        await uow.commit()
    tried = START + timedelta(minutes=17)
    console.clock.set(tried)
    channel = Recording(SendResult.failed("Forbidden: bot was blocked by the user"))
    sender = OutboxSender(
        shared_writer(console.uow_factory),
        [channel],
        shared_translator(),
        console.clock,
        monotonic=lambda: console.clock.now().timestamp(),
    )
    await sender.run_once()
    console.clock.set(tried + timedelta(hours=1))
    await sender.flush()
    await console.login("operator")

    text = visible_text(await (await console.client.get(PAGE)).text())

    assert item.id is not None
    assert "bot was blocked by the user" in text
    assert "11 февраля 2026 г., 10:00" in text  # created
    assert "11 февраля 2026 г., 10:17" in text  # the attempt, not the recording an hour later


async def test_dismiss_takes_the_message_off_the_list_and_the_sender_leaves_it(console) -> None:
    booking = await console.seed_request(1)
    row_id = await undelivered(console, citizen_id=booking.citizen_id, request_id=booking.id)
    csrf = await console.login("reception")

    response = await console.post(f"{PAGE}/{row_id}/dismiss", {}, csrf)

    assert response.status == 303
    assert (await row_of(console, row_id))["status"] == "dismissed"
    reception_id = console.users["reception"].id
    assert await audit_of(console, row_id) == [("outbox.dismiss", "staff", reception_id)]
    page = await (await console.client.get(response.headers["Location"])).text()
    assert listed(page) == []
    assert "Сообщение убрано из списка." in visible_text(page)
    # The request card still lists the notice, saying what became of it.
    card = visible_text(await (await console.client.get(f"/console/requests/{booking.id}")).text())
    assert "не доставлено, гражданину сообщили иначе" in card
    # The sender never claims it again.
    channel = Recording()
    sender = OutboxSender(
        shared_writer(console.uow_factory), [channel], shared_translator(), console.clock
    )
    await sender.run_once()
    await sender.flush()
    assert "Ваша заявка зарегистрирована" not in channel.texts


async def test_a_message_handled_by_someone_else_is_not_handled_twice(console) -> None:
    row_id = await undelivered(console)
    csrf = await console.login("operator")
    await console.post(f"{PAGE}/{row_id}/dismiss", {}, csrf)

    response = await console.post(f"{PAGE}/{row_id}/retry", {}, csrf)

    assert response.status == 303
    assert (await row_of(console, row_id))["status"] == "dismissed"
    page = visible_text(await (await console.client.get(response.headers["Location"])).text())
    assert "Это сообщение уже обработано." in page
    assert [a for a, _, _ in await audit_of(console, row_id)] == ["outbox.dismiss"]


async def test_a_message_with_no_chat_cannot_be_retried_only_dismissed(console) -> None:
    row_id = await undelivered(console, status="undeliverable", channel="none", chat_id="")
    csrf = await console.login("reception")

    html = await (await console.client.get(PAGE)).text()
    response = await console.post(f"{PAGE}/{row_id}/retry", {}, csrf)

    assert f"{PAGE}/{row_id}/retry" not in html and f"{PAGE}/{row_id}/dismiss" in html
    assert "Нет чата" in visible_text(html)
    assert (await row_of(console, row_id))["status"] == "undeliverable"
    assert await audit_of(console, row_id) == []
    assert "console-done-ops-undelivered-gone" in response.headers["Location"]


async def test_after_an_action_the_list_stays_on_its_page_and_filter(console) -> None:
    ids = await many_undelivered(console, 60)
    csrf = await console.login("reception")

    response = await console.post(
        f"{PAGE}/{ids[0]}/dismiss", {"status": "failed", "after": str(ids[10])}, csrf
    )

    location = response.headers["Location"]
    assert location.startswith(PAGE + "?")
    assert "status=failed" in location and f"after={ids[10]}" in location


# -- who may ---------------------------------------------------------------------------------


async def test_an_official_may_neither_see_nor_touch_undelivered_messages(console) -> None:
    row_id = await undelivered(console, text="Ваша заявка зарегистрирована")
    csrf = await console.login("official")

    page = await console.client.get(PAGE)
    retry = await console.post(f"{PAGE}/{row_id}/retry", {}, csrf)
    dismiss = await console.post(f"{PAGE}/{row_id}/dismiss", {}, csrf)

    assert (page.status, retry.status, dismiss.status) == (403, 403, 403)
    assert "Ваша заявка зарегистрирована" not in await page.text()
    assert (await row_of(console, row_id))["status"] == "failed"
    assert await audit_of(console, row_id) == []


async def test_without_the_csrf_token_nothing_changes(console) -> None:
    row_id = await undelivered(console)
    await console.login("admin")

    missing = await console.client.post(f"{PAGE}/{row_id}/retry", allow_redirects=False)
    wrong = await console.post(f"{PAGE}/{row_id}/dismiss", {}, "not-the-token")

    assert (missing.status, wrong.status) == (403, 403)
    row = await row_of(console, row_id)
    assert (row["status"], row["attempts"]) == ("failed", 10)
    assert await audit_of(console, row_id) == []


# -- the menu --------------------------------------------------------------------------------


def menu(html: str) -> list[str]:
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S)
    assert nav is not None
    return re.findall(r'href="/console/([^"]+)"', nav.group(0))


async def test_the_menu_shows_each_role_intake_digest_and_undelivered_as_the_routes_allow(
    console,
) -> None:
    seen = {}
    for role in ("operator", "reception", "official", "admin"):
        await console.login(role)
        page = await console.client.get("/console/schedules")
        seen[role] = [
            e for e in menu(await page.text()) if e in ("intake", "digest", "undelivered")
        ]

    assert seen == {
        "operator": ["intake", "undelivered"],
        "reception": ["intake", "digest", "undelivered"],
        "official": [],
        "admin": ["intake", "digest", "undelivered"],
    }


async def test_the_menu_counts_the_messages_waiting_for_staff(console) -> None:
    first = await undelivered(console)
    await undelivered(console, status="undeliverable", channel="whatsapp")
    await undelivered(console, status="sent")
    csrf = await console.login("reception")

    def badge(html: str) -> str | None:
        found = re.search(
            r'href="/console/undelivered"[^>]*>[^<]*<span class="nav-badge">(\d+)', html
        )
        return found.group(1) if found else None

    assert badge(await (await console.client.get("/console/schedules")).text()) == "2"
    await console.post(f"{PAGE}/{first}/dismiss", {}, csrf)
    assert badge(await (await console.client.get("/console/schedules")).text()) == "1"
    await console.post(f"{PAGE}/{first + 1}/dismiss", {}, csrf)
    assert badge(await (await console.client.get("/console/schedules")).text()) is None


class Recording:
    """A Telegram stand-in: records each text; answers `result` (default: sent)."""

    channel = "telegram"

    def __init__(self, *results: SendResult) -> None:
        self.texts: list[str] = []
        self.results = deque(results)

    async def send(self, item: OutboxItem, reply: Reply) -> SendResult:
        if self.results:
            return self.results.popleft()
        self.texts.append(reply.text)
        return SendResult.sent(f"m{item.id}")


# -- texts ---------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]
_LITERAL_ID = re.compile(
    r"""["']((?:ops-undelivered|console-done-ops-undelivered)-[a-z0-9-]*[a-z0-9])["']"""
)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_text_of_the_page_and_the_menu_exists(lang: str) -> None:
    sources = [
        ROOT / "console" / "templates" / "undelivered" / "list.html",
        ROOT / "console" / "views" / "undelivered.py",
    ]
    used = {found for path in sources for found in _LITERAL_ID.findall(path.read_text("utf-8"))}
    used |= {f"ops-undelivered-status-{status}" for status in UNDELIVERED}
    used |= {message_id for _, message_id in NAV}
    used.add("console-notice-status-dismissed")  # the request card names each notice's status
    translator = shared_translator()

    assert len(used) > 20
    assert sorted(i for i in used if not translator.has(lang, i)) == []
