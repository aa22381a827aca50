"""The web chat end to end: the page, its WebSocket, uploads, through the one server with the
real outbox sender delivering the replies (aiohttp test client; SQLite, and PostgreSQL when
TEST_DATABASE_URL is set)."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from app import parts
from app.config import load_settings
from app.keys import UOW_FACTORY
from app.server import build_app
from bot.flow import states
from bot.webchat import socket
from reception.citizens import DocumentKind
from reception.clock import FixedClock
from reception.requests import Representation, Status
from storage.migrate import upgrade_to_head
from storage.tables import outbox
from tests.integration.dialog_support import (
    APPLICANT_IIN,
    NOW,
    PDF,
    PRINCIPAL_IIN,
    QUESTION,
    World,
    all_requests,
    build_world,
    t,
)

SECRET_KEY = "webchat-test-secret-key-" + "y" * 32
TIMEOUT = 10


@pytest.fixture
async def server(
    aiohttp_client: Any, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> TestClient:
    await upgrade_to_head(database_url)
    monkeypatch.setattr(socket, "BURST", 1000)  # a test taps faster than any person
    monkeypatch.setattr(parts, "PARTS", [parts.Part("bot.webchat:setup", "web")])
    monkeypatch.setattr(parts, "WORKERS", [parts.Worker("bot.outbox:run_sender", "worker")])
    settings = load_settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        secret_key=SECRET_KEY,
        webchat_frame_ancestors="'self' https://akimat.example.kz",
        _env_file=None,
    )
    return await aiohttp_client(build_app(settings, clock=FixedClock(NOW)))


@pytest.fixture
async def world(server: TestClient) -> World:
    return await build_world(server.app[UOW_FACTORY])


@dataclass
class Visitor:
    """A browser tab: the page's cookie, its socket, and what it has shown."""

    client: TestClient
    socket: aiohttp.ClientWebSocketResponse | None = None
    shown: list[dict[str, Any]] = field(default_factory=list)
    sent: int = 0

    async def open(self, lang: str = "ru") -> None:
        page = await self.client.get(f"/chat?lang={lang}")
        assert page.status == 200
        self.socket = await self.client.ws_connect("/chat/ws")

    async def replies(self, count: int = 1) -> list[dict[str, Any]]:
        """Waits for `count` replies (acks and errors are skipped)."""
        assert self.socket is not None
        got: list[dict[str, Any]] = []
        while len(got) < count:
            message = await self.socket.receive_json(timeout=TIMEOUT)
            if message["type"] in ("reply", "history"):
                got.append(message)
        self.shown = got
        return got

    @property
    def text(self) -> str:
        return "\n".join(m.get("text", "") for m in self.shown)

    @property
    def buttons(self) -> list[str]:
        return [b["id"] for m in self.shown for row in m.get("buttons", []) for b in row]

    async def say(self, text: str, replies: int = 1) -> list[dict[str, Any]]:
        return await self._send({"type": "text", "text": text}, replies)

    async def tap(self, button: str, replies: int = 1) -> list[dict[str, Any]]:
        assert button in self.buttons, f"{button} not offered: {self.buttons}"
        return await self._send({"type": "button", "button": button}, replies)

    async def _send(self, frame: dict[str, Any], replies: int) -> list[dict[str, Any]]:
        assert self.socket is not None
        self.sent += 1
        await self.socket.send_json({"id": f"m{self.sent}", **frame})
        return await self.replies(replies)

    async def upload(self, content: bytes, name: str, mime: str) -> int:
        form = aiohttp.FormData()
        self.sent += 1
        form.add_field("id", f"f{self.sent}")
        form.add_field("file", io.BytesIO(content), filename=name, content_type=mime)
        response = await self.client.post("/chat/upload", data=form)
        return response.status


async def all_sent(server: TestClient) -> None:
    for _ in range(100):
        async with server.app[UOW_FACTORY](readonly=True) as uow:
            statement = select(func.count()).select_from(outbox).where(outbox.c.status != "sent")
            if not (await uow.connection.execute(statement)).scalar_one():
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the outbox sender did not send everything")


async def book_in_browser(
    visitor: Visitor, world: World, lang: str, representative: bool = False
) -> None:
    await visitor.open(lang)
    await visitor.replies()
    assert t(lang, "language-ask") in visitor.text
    await visitor.tap("lang:" + lang)
    await visitor.tap("consent:yes")
    await visitor.tap("menu:book")
    await visitor.tap("rep:person" if representative else "rep:self")
    await visitor.say("Ахметов Серик Болатович")
    await visitor.say(APPLICANT_IIN)
    await visitor.say("+7 701 123 45 67")
    if representative:
        await visitor.say("Ахметова Бибигуль Жумабаевна")
        await visitor.say(PRINCIPAL_IIN)
        assert await visitor.upload(PDF, "сенімхат.pdf", "application/pdf") == 200
        await visitor.replies()
    await visitor.tap("idtype:id-card")
    await visitor.say("012345678")
    await visitor.tap(f"topic:{world.roads_topic_id}")
    await visitor.tap(f"official:{world.akim_id}")
    await visitor.say(QUESTION[lang])
    for _ in range(4):
        await visitor.tap("no")
    await visitor.tap("priority:none")
    await visitor.tap("format:in_person")
    await visitor.tap("rlang:" + lang)
    await visitor.tap(f"slot:{world.slot_ids[0]}")
    await visitor.tap("confirm", replies=2)  # the "registered" notice, then the menu


async def test_full_booking_in_russian_through_the_web_chat(
    server: TestClient, world: World
) -> None:
    visitor = Visitor(server)
    await book_in_browser(visitor, world, "ru")

    [request] = await all_requests(server.app[UOW_FACTORY])
    assert request.status is Status.REGISTERED and request.channel == "web"
    notice, menu = visitor.shown
    assert f"Номер: {request.number}" in notice["text"]
    assert "Дата регистрации: 2 марта 2026 г." in notice["text"]
    assert t("ru", "booking-done") in menu["text"]
    assert ["menu:book"] == [b["id"] for b in menu["buttons"][0]]  # buttons as buttons
    assert menu["buttons"][0][0]["label"] == t("ru", "menu-book")


async def test_full_booking_in_kazakh_as_a_representative_with_an_uploaded_power_of_attorney(
    server: TestClient, world: World
) -> None:
    visitor = Visitor(server)
    await book_in_browser(visitor, world, "kk", representative=True)

    [request] = await all_requests(server.app[UOW_FACTORY])
    assert request.representation is Representation.PERSON and request.reception_language == "kk"
    assert f"Нөмірі: {request.number}" in visitor.shown[0]["text"]
    async with server.app[UOW_FACTORY](readonly=True) as uow:
        [document] = await uow.documents.for_request(request.id)
    assert document.kind is DocumentKind.POWER_OF_ATTORNEY and document.channel == "web"


async def test_uploads_too_large_or_of_a_wrong_type_are_refused_in_the_chat(
    server: TestClient, world: World
) -> None:
    visitor = Visitor(server)
    await visitor.open()
    await visitor.replies()
    for button in ("lang:ru", "consent:yes", "menu:book", "rep:organisation"):
        await visitor.tap(button)
    await visitor.say("Ахметов Серик Болатович")
    await visitor.say(APPLICANT_IIN)
    await visitor.say("87011234567")
    await visitor.say("ТОО «Жол құрылыс»")
    await visitor.say("080440001234")
    assert (
        await visitor.upload(b"%PDF-" + bytes(11 * 1024 * 1024), "big.pdf", "application/pdf")
        == 200
    )
    [refusal] = await visitor.replies()
    assert refusal["text"].startswith("Файл слишком большой. Пришлите файл до 10 МБ.")
    assert await visitor.upload(b"MZ\x90\x00" + bytes(100), "poa.pdf", "application/pdf") == 200
    [refusal] = await visitor.replies()
    assert refusal["text"].startswith("Этот тип файла не подходит.")
    form = aiohttp.FormData(
        {"id": "f-big", "name": "scan.pdf", "size": str(40 * 1024 * 1024)},
        default_to_multipart=True,
    )
    assert (await server.post("/chat/upload", data=form)).status == 200  # the page knew
    [refusal] = await visitor.replies()
    assert refusal["text"].startswith(t("ru", "handoff-after-failures"))  # the third failure


async def test_a_visitor_who_comes_back_sees_the_history_and_continues(
    server: TestClient, world: World
) -> None:
    visitor = Visitor(server)
    await visitor.open()
    await visitor.replies()
    for button in ("lang:ru", "consent:yes", "menu:book", "rep:self"):
        await visitor.tap(button)
    await visitor.say("Ахметов Серик Болатович")
    assert visitor.socket is not None
    await visitor.socket.close()
    await all_sent(server)  # the sender logs a reply just after pushing it

    await visitor.open()
    [history] = await visitor.replies()
    shown = history["messages"]
    assert shown[-1]["type"] == "reply" and t("ru", "booking-ask-iin") in shown[-1]["text"]
    assert {"type": "mine", "text": "Ахметов Серик Болатович"} in shown
    assert {"type": "mine", "text": "Русский"} in shown  # a tap shows as its button's label
    await visitor.say(APPLICANT_IIN)
    assert t("ru", "booking-ask-phone") in visitor.text


async def test_the_page_is_framed_only_where_allowed_and_runs_no_inline_script(
    server: TestClient,
) -> None:
    page = await server.get("/chat?lang=kk")
    html = await page.text()
    policy = page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://akimat.example.kz" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in html and "style=" not in html and "onclick" not in html
    assert '<html lang="kk">' in html and t("kk", "webchat-title") in html
    assert 'name="viewport"' in html  # a phone's screen
    cookie = page.cookies["reception_chat"]
    assert cookie["httponly"] and cookie["path"] == "/chat"


async def test_the_socket_refuses_a_forged_cookie_and_another_site(server: TestClient) -> None:
    await server.get("/chat")
    visitor_id, _ = server.session.cookie_jar.filter_cookies(server.make_url("/chat"))[
        "reception_chat"
    ].value.split(".")
    server.session.cookie_jar.clear()
    server.session.cookie_jar.update_cookies(
        {"reception_chat": f"{visitor_id[:-1]}A.forged"}, server.make_url("/chat")
    )
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await server.ws_connect("/chat/ws")
    assert refused.value.status == 401

    await server.get("/chat")  # a fresh, good cookie
    with pytest.raises(aiohttp.WSServerHandshakeError) as cross_site:
        await server.ws_connect("/chat/ws", headers={"Origin": "https://evil.example"})
    assert cross_site.value.status == 403
    upload = await server.post(
        "/chat/upload",
        data={"id": "x1", "name": "a.pdf", "size": "1"},
        headers={"Origin": "https://evil.example"},
    )
    assert upload.status == 403


async def test_a_frame_sent_twice_is_answered_once(server: TestClient, world: World) -> None:
    visitor = Visitor(server)
    await visitor.open()
    await visitor.replies()
    assert visitor.socket is not None
    await visitor.socket.send_json({"id": "same", "type": "button", "button": "lang:ru"})
    await visitor.socket.send_json({"id": "same", "type": "button", "button": "lang:ru"})
    [consent] = await visitor.replies()
    assert t("ru", "consent-text") in consent["text"]
    with pytest.raises(asyncio.TimeoutError):
        await visitor.socket.receive_json(timeout=0.5)  # the second ack only, no reply
        await visitor.socket.receive_json(timeout=0.5)


async def test_the_web_chat_offers_the_operator_and_then_keeps_quiet(
    server: TestClient, world: World
) -> None:
    visitor = Visitor(server)
    await visitor.open()
    await visitor.replies()
    await visitor.tap("lang:ru")
    await visitor.tap("consent:yes", replies=1)
    await visitor.tap("nav:operator")
    assert visitor.text == t("ru", "handoff-waiting")
    assert visitor.socket is not None
    await visitor.socket.send_json({"id": "q1", "type": "text", "text": "Алло?"})
    ack = await visitor.socket.receive_json(timeout=TIMEOUT)
    assert ack == {"type": "ack", "id": "q1"}
    with pytest.raises(asyncio.TimeoutError):
        await visitor.socket.receive_json(timeout=0.5)
    assert states.MENU  # the conversation stays where it was for the operator
