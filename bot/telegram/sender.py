"""Delivers outbox rows to Telegram chats: the ChannelSender of the "telegram" channel.

Classifies every Bot API failure: 429 waits retry_after; network trouble and Telegram's own
5xx are retried with backoff; a blocked bot or a bad request cannot improve and fails the
row (kept, with the error, for staff). Parts already delivered are not sent again.
"""

from __future__ import annotations

import logging
from pathlib import Path

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiohttp import web

from bot.flow.events import Reply
from bot.outbox.base import DELIVERED_PARTS, ChannelLimits, SendResult
from bot.outbox.render import DEFAULT_LANGUAGE, LANGUAGE_KEY, Translate
from bot.telegram.render import RenderError, telegram_calls
from reception.ports import OutboxItem

log = logging.getLogger(__name__)

CHANNEL = "telegram"
# Telegram: about 1 message a second to one chat, about 30 a second overall (PERFORMANCE.md).
TELEGRAM_LIMITS = ChannelLimits(per_chat_rate=1.0, per_chat_burst=1, global_rate=30.0)


class TelegramSender:
    channel = CHANNEL

    def __init__(
        self,
        bot: Bot,
        translate: Translate,
        data_dir: Path,
        limits: ChannelLimits = TELEGRAM_LIMITS,
    ) -> None:
        self.bot = bot
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
                message = await self.bot(calls[index])
            except TelegramAPIError as error:
                return _classify(error, delivered=index)
            message_ids.append(str(message.message_id))
        return SendResult.sent(",".join(message_ids)[:128] or None, parts=len(calls) - done)

    async def aclose(self) -> None:
        await self.bot.session.close()


def _classify(error: TelegramAPIError, delivered: int) -> SendResult:
    """Telegram's error descriptions carry no personal data; the texts sent are not logged."""
    if isinstance(error, TelegramRetryAfter):
        return SendResult.retry(
            "429 too many requests", after=error.retry_after, delivered_parts=delivered
        )
    if isinstance(error, TelegramForbiddenError | TelegramNotFound):
        return SendResult.failed(f"{type(error).__name__}: {error.message}")
    if isinstance(error, TelegramBadRequest):
        return SendResult.failed(f"bad request: {error.message}")
    if isinstance(error, TelegramUnauthorizedError):
        log.error("Telegram refused the bot token; check TELEGRAM_TOKEN")
    # Network errors, Telegram's 5xx and restarts, a revoked token being fixed: try again.
    return SendResult.retry(f"{type(error).__name__}: {error.message}", delivered_parts=delivered)


def sender_for_app(app: web.Application) -> TelegramSender | None:
    """The outbox worker's factory: a sender when TELEGRAM_TOKEN is set, else None."""
    from app.keys import SETTINGS, TRANSLATOR
    from bot.telegram.runtime import build_bot

    settings = app[SETTINGS]
    if not settings.telegram_enabled:
        return None
    return TelegramSender(build_bot(settings), app[TRANSLATOR], settings.data_dir)
