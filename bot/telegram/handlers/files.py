"""Photos and documents (a power of attorney R7, a priority proof R9, replies to staff)."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.types import Message, Update

from bot.telegram import downloads
from bot.telegram.handlers.common import OnCommit, Process, hand_over
from bot.telegram.incoming import file_event
from reception.profile import Documents


async def on_file(
    message: Message,
    event_update: Update,
    bot: Bot,
    documents: Documents,
    process: Process,
    uow_factory: Any,
    dialog: Any,
    on_commit: OnCommit,
) -> None:
    file = await downloads.fetch(bot, message, documents)
    event = file_event(message, event_update.update_id, file)
    await hand_over(event, process, uow_factory, dialog, on_commit)
