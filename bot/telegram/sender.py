"""Delivers outbox rows to Telegram chats: the ChannelSender of the "telegram" channel.

Classifies every Bot API failure: 429 waits retry_after; network trouble and Telegram's own
5xx are retried with backoff; a blocked bot or a bad request cannot improve and fails the
row (kept, with the error, for staff). Parts already delivered are not sent again. Calls go
through bot.telegram.botapi (plain JSON), not aiogram's models: see there why.
"""

from __future__ import annotations

import logging
from pathlib import Path

from aiohttp import web

from bot.flow.events import Reply
from bot.outbox.base import DELIVERED_PARTS, ChannelLimits, SendResult
from bot.outbox.render import DEFAULT_LANGUAGE, LANGUAGE_KEY, Translate
from bot.telegram.botapi import BotApi, BotApiError
from bot.telegram.render import RenderError, telegram_calls
from reception.ports import OutboxItem

log = logging.getLogger(__name__)

CHANNEL = "telegram"
# Telegram: about 1 message a second to one chat, about 30 a second overall (PERFORMANCE.md).
TELEGRAM_LIMITS = ChannelLimits(per_chat_rate=1.0, per_chat_burst=1, global_rate=30.0)
# Bot API error codes that no retry can change: a bad request (chat not found, message too
# long), the citizen blocked the bot or deleted their account, no such chat.
_TERMINAL = {400, 403, 404}


class TelegramSender:
    channel = CHANNEL

    def __init__(
        self,
        api: BotApi,
        translate: Translate,
        data_dir: Path,
        limits: ChannelLimits = TELEGRAM_LIMITS,
    ) -> None:
        self.api = api
        self.limits = limits
        self._translate = translate
        self._data_dir = data_dir

    async def send(self, item: OutboxItem, reply: Reply) -> SendResult:
        lang = reply.extra.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
        try:
            calls = telegram_calls(
                reply,
                int(item.chat_id),
                data_dir=self._data_dir,
                contact_label=self._translate(lang, "telegram-share-contact"),
                more_label=self._translate(lang, "telegram-or-choose"),
            )
        except (RenderError, ValueError) as error:
            return SendResult.failed(f"cannot render for Telegram: {error}")
        done = int(item.payload.get(DELIVERED_PARTS, 0)) if item.payload else 0
        message_ids: list[str] = []
        for index in range(done, len(calls)):
            try:
                message = await self.api.call(calls[index])
            except BotApiError as error:
                return _classify(error, delivered=index)
            message_ids.append(str(message.get("message_id", "")))
        return SendResult.sent(",".join(message_ids)[:128] or None, parts=len(calls) - done)

    async def aclose(self) -> None:
        await self.api.close()


def _classify(error: BotApiError, delivered: int) -> SendResult:
    """Telegram's error descriptions carry no personal data; the texts sent are not logged."""
    if error.status == 429:
        after = float(error.retry_after) if error.retry_after is not None else None
        return SendResult.retry("429 too many requests", after=after, delivered_parts=delivered)
    if error.status in _TERMINAL:
        return SendResult.failed(f"{error.status}: {error.description}")
    if error.status == 401:
        log.error("Telegram refused the bot token; check TELEGRAM_TOKEN")
    # Unreachable, Telegram's 5xx and restarts, a revoked token being fixed: try again.
    return SendResult.retry(f"{error.status}: {error.description}", delivered_parts=delivered)


def sender_for_app(app: web.Application) -> TelegramSender | None:
    """The outbox worker's factory: a sender when TELEGRAM_TOKEN is set, else None."""
    from app.keys import SETTINGS, TRANSLATOR
    from bot.telegram.botapi import HttpBotApi

    settings = app[SETTINGS]
    if settings.telegram_token is None:
        return None
    api = HttpBotApi(settings.telegram_api_base, settings.telegram_token.get_secret_value())
    return TelegramSender(api, app[TRANSLATOR], settings.data_dir)
