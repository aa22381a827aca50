"""Every message in a chat with the bot, sorted by plain checks (bot.telegram.filters) and
translated (bot.telegram.incoming) by its kind, in the order the kinds are tried: an
official's link command first (a code never reaches the dialog), then commands, shared
contacts, files (a power of attorney R7, a priority proof R9, replies to staff), typed text,
and anything else."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.types import Message, Update

from bot.telegram import downloads, officials
from bot.telegram.filters import has_file, is_command, is_private
from bot.telegram.handlers.common import OnCommit, Process, hand_over
from bot.telegram.incoming import (
    command_event,
    contact_event,
    file_event,
    other_event,
    text_event,
)
from reception.profile import Documents


async def on_message(
    message: Message,
    event_update: Update,
    bot: Bot,
    documents: Documents,
    process: Process,
    uow_factory: Any,
    dialog: Any,
    on_commit: OnCommit,
) -> None:
    if not is_private(message.chat.type):
        return
    update_id = event_update.update_id
    if is_command(message):
        is_link, link_code = officials.link_request(message)
        if is_link:
            await officials.on_link(
                message, event_update, link_code, uow_factory, dialog, on_commit
            )
            return
        event = command_event(message, update_id)
    elif message.contact is not None:
        event = contact_event(message, update_id)
    elif has_file(message):
        event = file_event(message, update_id, await downloads.fetch(bot, message, documents))
    elif message.text is not None:
        event = text_event(message, update_id)
    else:
        event = other_event(message, update_id)
    await hand_over(event, process, uow_factory, dialog, on_commit)
