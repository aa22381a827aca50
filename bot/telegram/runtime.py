"""Builds the Telegram Bot and Dispatcher; the one place the Telegram side is assembled.

Services reach handlers by name (STYLE): `Dispatcher(uow_factory=..., dialog=..., ...)` puts
them in workflow_data, so a handler declares `async def on_message(message, uow_factory, ...)`.
The dialog's state lives in the database, so aiogram's FSM is switched off (it would only
add a MemoryStorage lookup and an event lock to every update).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods.base import Response
from aiogram.types import File, Message, Update, User

from bot.telegram.botapi import BotApi
from bot.telegram.handlers.common import Process
from bot.telegram.ordering import ChatOrder
from bot.telegram.routers import get_routers

if TYPE_CHECKING:
    from app.config import Settings
    from reception.clock import Clock
    from reception.profile import Documents

# pydantic keeps a parametrised generic class only while something refers to it, and aiogram
# parametrises Response[T] on every call it makes: without these references the class is
# rebuilt each time (measured ~40 µs; a full schema build after a garbage collection).
_KEEP_RESPONSE_CLASSES = tuple(
    Response[returning] for returning in (bool, Message, File, User, list[Update])
)

# Bot API calls give up after this; the outbox lease (120 s) is longer, so a slow call is
# never sent twice by two rounds.
REQUEST_TIMEOUT_SECONDS = 60.0


def build_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    """A Bot on TELEGRAM_API_BASE: api.telegram.org, a self-hosted telegram-bot-api, a fake."""
    assert settings.telegram_token is not None
    if session is None:
        api = TelegramAPIServer.from_base(settings.telegram_api_base)
        session = AiohttpSession(api=api, timeout=REQUEST_TIMEOUT_SECONDS)
    return Bot(settings.telegram_token.get_secret_value(), session=session)


def build_dispatcher(
    *,
    uow_factory: Any,
    dialog: Any,
    documents: Documents,
    clock: Clock,
    on_commit: Callable[..., Any] | None = None,
    process: Process | None = None,
    bot_api: BotApi | None = None,
) -> Dispatcher:
    """The Dispatcher with our routers; `documents` is the profile's file policy.

    `process` is the pipeline (bot.pipeline.process unless a test or benchmark gives its own).
    `bot_api` is the plain-JSON Bot API client the handlers answer button taps with (the
    aiogram Bot otherwise).
    """
    if process is None:
        from bot.pipeline import process
    dispatcher = Dispatcher(
        disable_fsm=True,
        process=process,
        uow_factory=uow_factory,
        dialog=dialog,
        documents=documents,
        clock=clock,
        on_commit=on_commit,
        bot_api=bot_api,
    )
    dispatcher.update.outer_middleware(ChatOrder())
    dispatcher.include_routers(*get_routers())
    return dispatcher
