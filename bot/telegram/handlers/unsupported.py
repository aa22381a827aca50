"""Everything else a citizen may send: voice, video, stickers, locations ...

Media the dialog cannot take comes as a refused file, so a step waiting for a document
names what it accepts; anything else comes as empty text and is re-asked like one.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import Message, Update

from bot.files import REFUSED_WRONG_TYPE
from bot.flow.events import IncomingFile
from bot.telegram.handlers.common import OnCommit, Process, hand_over
from bot.telegram.incoming import file_event, text_event

_MEDIA = ("voice", "audio", "video", "video_note", "animation", "sticker")


async def on_anything_else(
    message: Message,
    event_update: Update,
    process: Process,
    uow_factory: Any,
    dialog: Any,
    on_commit: OnCommit,
) -> None:
    media = next((kind for kind in _MEDIA if getattr(message, kind) is not None), None)
    if media is not None:
        refused = IncomingFile(media, "", 0, None, refused_reason=REFUSED_WRONG_TYPE)
        event = file_event(message, event_update.update_id, refused)
    else:
        event = text_event(message, event_update.update_id)
    await hand_over(event, process, uow_factory, dialog, on_commit)
