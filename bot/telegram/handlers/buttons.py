"""Taps on inline buttons: callback_data is the dialog's button id."""

from __future__ import annotations

import logging
from typing import Any

from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, Update

from bot.telegram.botapi import ApiCall, BotApi, BotApiError
from bot.telegram.filters import is_private_tap
from bot.telegram.handlers.common import OnCommit, Process, hand_over
from bot.telegram.incoming import button_event
from reception.clock import Clock

log = logging.getLogger(__name__)


async def on_button(
    query: CallbackQuery,
    event_update: Update,
    clock: Clock,
    process: Process,
    uow_factory: Any,
    dialog: Any,
    on_commit: OnCommit,
    bot_api: BotApi | None = None,
) -> None:
    if not is_private_tap(query):
        return
    event = button_event(query, event_update.update_id, clock.now())
    await hand_over(event, process, uow_factory, dialog, on_commit)
    # Stops the button's spinner; the answer itself comes through the outbox. Through the
    # plain-JSON client when there is one: aiogram's method models cost twice as much.
    try:
        if bot_api is not None:
            await bot_api.call(ApiCall("answerCallbackQuery", {"callback_query_id": query.id}))
        else:
            await query.answer()
    except TelegramAPIError as error:  # e.g. "query is too old" after downtime: harmless
        log.info("answerCallbackQuery failed: %s", error.message)
    except BotApiError as error:
        log.info("answerCallbackQuery failed: %s", error.description)
