"""Typed text: names, IINs, the substance of the question, replies to staff."""

from __future__ import annotations

from typing import Any

from aiogram.types import Message, Update

from bot.telegram.handlers.common import OnCommit, Process, hand_over
from bot.telegram.incoming import text_event


async def on_text(
    message: Message,
    event_update: Update,
    process: Process,
    uow_factory: Any,
    dialog: Any,
    on_commit: OnCommit,
) -> None:
    await hand_over(
        text_event(message, event_update.update_id), process, uow_factory, dialog, on_commit
    )
