"""What the WhatsApp tests share: the one server with the WhatsApp part on a migrated database
(SQLite always, PostgreSQL when TEST_DATABASE_URL is set), a fake Graph API on 127.0.0.1
(tests/e2e/fake_graph.py) as WHATSAPP_API_BASE, a fixed clock, a small akimat, and `Citizen`,
who writes real-shaped, signed Cloud API webhooks and reads what the bot sent back.

    from tests.e2e.whatsapp_support import *  # noqa: F403  (fixtures: graph, wa)
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from app.config import load_settings
from app.keys import UOW_FACTORY
from app.server import build_app
from bot.whatsapp.signature import HEADER, sign
from bot.whatsapp.webhook import WEBHOOK_PATH, WHATSAPP
from reception.clock import FixedClock
from storage.migrate import upgrade_to_head
from storage.tables import metadata
from tests.e2e.fake_graph import PHONE_NUMBER_ID, TOKEN, FakeGraph, SentMessage
from tests.integration.dialog_support import NOW, World, build_world

APP_SECRET = "0f3c1e9a5b7d4c2e8f6a1b3d5c7e9f0a"
VERIFY_TOKEN = "reception-verify-Ж7"
SECRET_KEY = "whatsapp-e2e-secret-key-" + "x" * 32
TEMPLATES = {
    "fix_request": {
        "name": "reception_fix_request",
        "language": {"kk": "kk", "ru": "ru"},
        "params": ["number", "requirements", "fix_due"],
    },
    "status_change": {"name": "reception_status", "language": "ru", "params": ["number", "text"]},
}
_counter = itertools.count(1)
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
DIALECTS = ["sqlite", *(["postgresql"] if TEST_DATABASE_URL else [])]


def webhook_body(value: dict[str, Any]) -> dict[str, Any]:
    """The envelope every Cloud API webhook has."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "77172000000", "phone_number_id": PHONE_NUMBER_ID},
        **value,
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }


def status_body(wamid: str, status: str, at: int, recipient: str, **error: Any) -> dict:
    entry: dict[str, Any] = {
        "id": wamid,
        "status": status,
        "timestamp": str(at),
        "recipient_id": recipient,
    }
    if status != "failed":
        entry["pricing"] = {"billable": True, "pricing_model": "PMP", "category": "utility"}
    if error:
        entry["errors"] = [
            {
                "code": error["code"],
                "title": error["title"],
                "message": error["title"],
                "error_data": {"details": "Message failed to send."},
            }
        ]
    return webhook_body({"statuses": [entry]})


@dataclass
class WhatsApp:
    client: TestClient
    graph: FakeGraph
    clock: FixedClock
    world: World

    @property
    def uow_factory(self) -> Any:
        return self.client.app[UOW_FACTORY]

    async def post(self, body: dict[str, Any] | bytes, *, signature: str | None = None) -> Any:
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        headers[HEADER] = signature if signature is not None else sign(APP_SECRET, raw)
        return await self.client.post(WEBHOOK_PATH, data=raw, headers=headers)

    async def settle(self, seconds: float = 10.0) -> None:
        """Until every stored event is handled and every due reply went out (or was given up
        for now: a row deferred with an error waits for its retry time)."""
        processor = self.client.app[WHATSAPP].processor
        async with asyncio.timeout(seconds):
            while True:  # polls the database: no event tells when the outbox is done
                await processor.drain()
                waiting = await self.scalar(
                    "select count(*) from outbox where channel = 'whatsapp' "
                    "and status = 'pending' and error is null"
                )
                if not waiting:
                    return
                await asyncio.sleep(0.01)

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.uow_factory(readonly=True) as uow:
            return (await uow.connection.execute(text(sql), params)).scalar()

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        async with self.uow_factory(readonly=True) as uow:
            return list((await uow.connection.execute(text(sql), params)).mappings())

    def citizen(self, wa_id: str = "77011234567", name: str = "Айгерим") -> Citizen:
        return Citizen(self, wa_id, name)


@dataclass
class Citizen:
    """One WhatsApp user writing to the akimat's number."""

    wa: WhatsApp
    wa_id: str
    name: str
    last: list[SentMessage] = field(default_factory=list)
    _seen: int = 0

    def body(self, kind: str, content: Any, wamid: str | None = None) -> dict[str, Any]:
        message = {
            "from": self.wa_id,
            "id": wamid or f"wamid.HBgLNzcwMTEyMzQ1NjcVAgASGBQzQUI{next(_counter):06d}",
            "timestamp": str(int(self.wa.clock.now().timestamp())),
            "type": kind,
            kind: content,
        }
        contacts = [{"profile": {"name": self.name}, "wa_id": self.wa_id}]
        return webhook_body({"contacts": contacts, "messages": [message]})

    async def send(self, body: dict[str, Any]) -> list[SentMessage]:
        response = await self.wa.post(body)
        assert response.status == 200, await response.text()
        await self.wa.settle()
        return self.read()

    def read(self) -> list[SentMessage]:
        mine = self.wa.graph.to(self.wa_id)
        self.last, self._seen = mine[self._seen :], len(mine)
        return self.last

    async def say(self, words: str) -> list[SentMessage]:
        return await self.send(self.body("text", {"body": words}))

    async def tap(self, button_id: str) -> list[SentMessage]:
        """Taps a reply button or picks a list row of the last interactive message."""
        shown = [m for m in self.last if m.type == "interactive"]
        assert shown, f"no buttons in {[m.text for m in self.last]}"
        titles = dict(shown[-1].choices)
        assert button_id in titles, f"{button_id!r} not among {list(titles)}"
        if shown[-1].interactive_type == "button":
            reply = {
                "type": "button_reply",
                "button_reply": {"id": button_id, "title": titles[button_id]},
            }
        else:
            reply = {
                "type": "list_reply",
                "list_reply": {"id": button_id, "title": titles[button_id]},
            }
        return await self.send(self.body("interactive", reply))

    async def photo(self, media_id: str, caption: str | None = None) -> list[SentMessage]:
        image = {"mime_type": "image/jpeg", "sha256": "c2hhMjU2", "id": media_id}
        if caption:
            image["caption"] = caption
        return await self.send(self.body("image", image))

    async def document(self, media_id: str, filename: str, mime: str) -> list[SentMessage]:
        document = {"filename": filename, "mime_type": mime, "sha256": "c2hhMjU2", "id": media_id}
        return await self.send(self.body("document", document))

    @property
    def text(self) -> str:
        return "\n".join(m.text for m in self.last)

    def choice(self, prefix: str) -> str:
        ids = [i for m in self.last for i, _ in m.choices if i.startswith(prefix)]
        assert ids, f"no choice {prefix!r} in {[m.choices for m in self.last]}"
        return ids[0]


def settings_for(database_url: str, data_dir: Path, api_base: str, **extra: Any) -> Any:
    return load_settings(
        database_url=database_url,
        data_dir=data_dir,
        secret_key=SECRET_KEY,
        whatsapp_token=TOKEN,
        whatsapp_phone_number_id=PHONE_NUMBER_ID,
        whatsapp_app_secret=APP_SECRET,
        whatsapp_verify_token=VERIFY_TOKEN,
        whatsapp_api_base=api_base,
        whatsapp_templates=TEMPLATES,
        _env_file=None,
        **extra,
    )


async def start_server(
    aiohttp_client: Any, database_url: str, data_dir: Path, graph: FakeGraph, clock: FixedClock
) -> TestClient:
    assert graph.server is not None
    api_base = str(graph.server.make_url("/v21.0"))
    app = build_app(settings_for(database_url, data_dir, api_base), clock=clock)
    return await aiohttp_client(app)


@pytest.fixture
async def graph() -> Any:
    fake = FakeGraph()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture(scope="session")
def wa_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("whatsapp-template") / "reception.db"
    asyncio.run(upgrade_to_head(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def wa_postgresql_url() -> Iterator[str]:
    """One database for the session, migrated once; tables are emptied before each test."""
    assert TEST_DATABASE_URL is not None
    server = make_url(TEST_DATABASE_URL)
    name = f"whatsapp_e2e_{os.getpid()}_{secrets.token_hex(3)}"

    async def admin(sql: str) -> None:
        engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text(sql))
        finally:
            await engine.dispose()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        asyncio.run(upgrade_to_head(url))
        yield url
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=DIALECTS)
def migrated_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "reception.db"
        shutil.copyfile(request.getfixturevalue("wa_sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("wa_postgresql_url")
    asyncio.run(_empty_tables(url))
    return url


async def _empty_tables(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            tables = ", ".join(table.name for table in metadata.sorted_tables)
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture
async def wa(aiohttp_client: Any, migrated_url: str, tmp_path: Path, graph: FakeGraph) -> WhatsApp:
    clock = FixedClock(NOW)
    client = await start_server(aiohttp_client, migrated_url, tmp_path / "data", graph, clock)
    world = await build_world(client.app[UOW_FACTORY])
    return WhatsApp(client, graph, clock, world)
