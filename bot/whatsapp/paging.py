"""The "more options" row of a long WhatsApp list, answered without the dialog.

A list shows at most 10 rows, so bot/whatsapp/render.py pages a longer menu; its paging row's
id is `wa:more:<outbox id>:<page>`. A tap on it comes through the pipeline like any message
(de-duplicated, logged, the 24-hour window renewed, R38/R39), and this wrapper answers it
with the same reply at that page: the conversation's state does not move. A paging id that
names another chat's message, or one that is gone, goes to the dialog as the unknown button
it is, and the dialog re-asks.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.flow.dialog import Dialog, Outcome
from bot.flow.events import EventKind, Incoming, Reply
from bot.whatsapp.render import MORE, PAGE_KEY
from reception.ports import Conversation
from reception.services.handoff import OPERATOR


def page_request(event: Incoming) -> tuple[int, int] | None:
    """(outbox id, page) of a paging tap, else None."""
    if event.kind is not EventKind.BUTTON or not (event.button or "").startswith(MORE):
        return None
    item_id, _, page = (event.button or "")[len(MORE) :].partition(":")
    if not item_id.isdigit() or not page.isdigit():
        return None
    return int(item_id), int(page)


class PagingDialog:
    """The dialog as the pipeline sees it (`rules`, `translator`, `respond`), plus paging."""

    def __init__(self, dialog: Dialog) -> None:
        self.dialog = dialog
        self.rules = dialog.rules
        self.translator = dialog.translator
        self.files = dialog.files

    async def respond(self, uow: Any, conversation: Conversation, event: Incoming) -> Outcome:
        wanted = page_request(event)
        if wanted is None or conversation.mode == OPERATOR:
            return await self.dialog.respond(uow, conversation, event)
        item_id, page = wanted
        item = await uow.outbox.get(item_id)
        if (
            item is None
            or (item.channel, item.chat_id) != (event.channel, event.chat_id)
            or not item.payload
        ):
            return await self.dialog.respond(uow, conversation, event)
        shown = Reply.from_payload(item.payload)
        shown = replace(shown, extra={**shown.extra, PAGE_KEY: str(page)})
        return Outcome([shown], note={"page_of": item_id, "page": page})

    async def handle(self, uow: Any, conversation: Conversation, event: Incoming) -> list[Reply]:
        return (await self.respond(uow, conversation, event)).replies
