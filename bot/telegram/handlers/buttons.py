"""Taps on inline buttons: callback_data is the dialog's button id."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, Update

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
) -> None:
    event = button_event(query, event_update.update_id, clock.now())
    await hand_over(event, process, uow_factory, dialog, on_commit)
    try:  # stops the button's spinner; the answer itself comes through the outbox
        await query.answer()
    except TelegramAPIError as error:  # e.g. "query is too old" after downtime: harmless
        log.info("answerCallbackQuery failed: %s", error.message)


def build() -> Router:
    router = Router(name="buttons")
    router.callback_query.register(on_button)
    return router
