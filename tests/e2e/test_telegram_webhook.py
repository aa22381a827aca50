"""POST /webhooks/telegram on the one server, through aiohttp's test client.

The whole process as deployed: build_app with TELEGRAM_MODE=webhook, its Bot pointed at a
fake Bot API server (TELEGRAM_API_BASE), the outbox worker running in the background.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import func, select

from app.config import load_settings
from app.server import build_app
from reception.clock import FixedClock
from storage.migrate import upgrade_to_head
from storage.tables import inbound, messages
from tests.e2e.telegram_fakes import TOKEN, FakeTelegram, TelegramUser, fake_bot_api_app
from tests.integration.dialog_support import NOW

SECRET = "webhook-secret-0123456789"
PUBLIC_URL = "https://reception.example.kz"


@pytest.fixture
def telegram() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
async def client(aiohttp_client, aiohttp_server, database_url, tmp_path, telegram):
    await upgrade_to_head(database_url)
    api = await aiohttp_server(fake_bot_api_app(telegram))
    settings = load_settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        secret_key="k" * 40,
        public_url=PUBLIC_URL,
        telegram_token=TOKEN,
        telegram_mode="webhook",
        telegram_webhook_secret=SECRET,
        telegram_api_base=str(api.make_url("")).rstrip("/"),
        roles="bot,worker",  # the Telegram process of a split deployment
        _env_file=None,
    )
    return await aiohttp_client(build_app(settings, clock=FixedClock(NOW)))


async def stored_counts(client) -> tuple[int, int]:
    from app.keys import UOW_FACTORY

    async with client.app[UOW_FACTORY](readonly=True) as uow:
        updates = await uow.connection.scalar(select(func.count()).select_from(inbound))
        logged = await uow.connection.scalar(select(func.count()).select_from(messages))
    return updates, logged


async def test_the_webhook_is_registered_with_telegram_at_start_up(client, telegram):
    assert telegram.webhook is not None
    assert telegram.webhook["url"] == f"{PUBLIC_URL}/webhooks/telegram"
    assert telegram.webhook["secret_token"] == SECRET
    assert sorted(json.loads(telegram.webhook["allowed_updates"])) == ["callback_query", "message"]


@pytest.mark.parametrize("header", [None, "", "wrong-secret", SECRET + "x"])
async def test_an_update_without_the_secret_token_is_refused_and_nothing_stored(
    client, telegram, header
):
    headers = {} if header is None else {"X-Telegram-Bot-Api-Secret-Token": header}
    update = TelegramUser(telegram, 8001).text("/start")

    response = await client.post("/webhooks/telegram", json=update, headers=headers)

    assert response.status == 401
    assert await stored_counts(client) == (0, 0)
    assert telegram.sent("sendMessage") == []


async def test_an_update_with_the_secret_token_is_stored_and_answered(client, telegram):
    user = TelegramUser(telegram, 8002)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}

    response = await client.post("/webhooks/telegram", json=user.text("/start"), headers=headers)

    assert response.status == 200
    assert (await stored_counts(client))[0] == 1  # stored before the 200
    async with asyncio.timeout(10):  # the outbox worker, woken by the commit, sends it
        while await stored_counts(client) != (1, 2):  # noqa: ASYNC110 (polling the database)
            await asyncio.sleep(0.01)
    [seen] = telegram.seen_by(8002)
    assert seen.button_ids == ["lang:kk", "lang:ru"]  # the language question


async def test_the_same_update_posted_twice_is_answered_once(client, telegram):
    user = TelegramUser(telegram, 8003)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    update = user.text("/start")

    first = await client.post("/webhooks/telegram", json=update, headers=headers)
    second = await client.post("/webhooks/telegram", json=update, headers=headers)

    assert (first.status, second.status) == (200, 200)  # Telegram must stop redelivering
    async with asyncio.timeout(10):
        while len(telegram.seen_by(8003)) < 1:  # noqa: ASYNC110 (polling the fake's record)
            await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)  # a second reply, if there were one, would be out by now
    assert await stored_counts(client) == (1, 2) and len(telegram.seen_by(8003)) == 1


async def test_a_body_that_is_not_an_update_is_a_400(client):
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    response = await client.post("/webhooks/telegram", data=b"{not json", headers=headers)
    assert response.status == 400
    assert await stored_counts(client) == (0, 0)


async def test_without_a_token_there_is_no_telegram_and_the_server_still_runs(
    aiohttp_client, database_url, tmp_path
):
    await upgrade_to_head(database_url)
    settings = load_settings(
        database_url=database_url,
        data_dir=tmp_path,
        secret_key="k" * 40,
        roles="bot,worker",
        _env_file=None,
    )
    client = await aiohttp_client(build_app(settings, clock=FixedClock(NOW)))

    assert (await client.get("/healthz")).status == 200
    assert (await client.post("/webhooks/telegram", json={"update_id": 1})).status in (404, 405)
