"""The Telegram part of the server: POST /webhooks/telegram, and the Bot and Dispatcher.

Mounted for the "bot" role only when TELEGRAM_TOKEN is set; without it the product runs on
the web chat alone. In webhook mode Telegram must present TELEGRAM_WEBHOOK_SECRET in
`X-Telegram-Bot-Api-Secret-Token` (compared in constant time): anything else gets 401 and
nothing is stored. An accepted update is handled before the answer — one short transaction,
milliseconds — so a 200 means it is stored; if handling fails we answer 500 and Telegram
delivers it again (the pipeline's de-duplication makes that safe).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

from app.keys import CLOCK, PROFILE, SETTINGS, TRANSLATOR, UOW_FACTORY
from bot.outbox.hub import outbox_hub
from bot.telegram.botapi import HttpBotApi
from bot.telegram.runtime import build_bot, build_dispatcher

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True, slots=True)
class TelegramRuntime:
    bot: Bot
    dispatcher: Dispatcher


TELEGRAM: web.AppKey[TelegramRuntime] = web.AppKey("telegram", TelegramRuntime)


def setup(app: web.Application) -> None:
    settings = app[SETTINGS]
    if not settings.telegram_enabled:
        log.info("TELEGRAM_TOKEN is not set: the Telegram channel is off")
        return
    outbox_hub(app)  # created now, while the application may still change
    app.cleanup_ctx.append(telegram_runtime)
    if settings.telegram_mode == "webhook":
        app.router.add_post(WEBHOOK_PATH, receive_update)


async def telegram_runtime(app: web.Application) -> AsyncIterator[None]:
    from bot.flow.dialog import Dialog

    settings = app[SETTINGS]
    profile = app[PROFILE]
    dialog = Dialog.build(profile, app[CLOCK], app[TRANSLATOR], settings.data_dir)
    bot = build_bot(settings)
    assert settings.telegram_token is not None
    bot_api = HttpBotApi(settings.telegram_api_base, settings.telegram_token.get_secret_value())
    dispatcher = build_dispatcher(
        uow_factory=app[UOW_FACTORY],
        dialog=dialog,
        documents=profile.documents,
        clock=app[CLOCK],
        on_commit=outbox_hub(app),  # the hub: wakes the sender, direct delivery
        bot_api=bot_api,
    )
    app[TELEGRAM] = TelegramRuntime(bot, dispatcher)
    if settings.telegram_mode == "webhook":
        await register_webhook(app, bot, dispatcher)
    try:
        yield
    finally:
        await bot_api.close()
        await bot.session.close()


async def register_webhook(app: web.Application, bot: Bot, dispatcher: Dispatcher) -> None:
    settings = app[SETTINGS]
    assert settings.telegram_webhook_secret is not None
    try:
        await bot.set_webhook(
            url=f"{settings.base_url}{WEBHOOK_PATH}",
            secret_token=settings.telegram_webhook_secret.get_secret_value(),
            allowed_updates=dispatcher.resolve_used_update_types(),
        )
    except TelegramAPIError as error:  # the server still serves; Telegram may know the hook
        log.error("setWebhook failed: %s", error.message)


async def receive_update(request: web.Request) -> web.Response:
    settings = request.config_dict[SETTINGS]
    assert settings.telegram_webhook_secret is not None
    expected = settings.telegram_webhook_secret.get_secret_value().encode()
    given = request.headers.get(SECRET_HEADER, "").encode()
    if not hmac.compare_digest(given, expected):
        log.warning("telegram webhook: a request without the right secret token was refused")
        return web.json_response({"error": "unauthorized"}, status=401)
    runtime = request.config_dict[TELEGRAM]
    try:
        update = Update.model_validate(await request.json(), context={"bot": runtime.bot})
    except (ValueError, ValidationError):
        return web.json_response({"error": "not a Telegram update"}, status=400)
    try:
        await runtime.dispatcher.feed_update(runtime.bot, update)
    except Exception as error:
        log.error("telegram update %s failed: %s", update.update_id, type(error).__name__)
        log.debug("telegram update %s failed", update.update_id, exc_info=True)
        return web.json_response({"error": "try again"}, status=500)
    return web.json_response({})
