"""A channel-free `Reply` as the Cloud API messages that show it, within WhatsApp's limits.

- Up to 3 buttons whose labels fit 20 characters: reply buttons. Otherwise a list: up to 10
  rows, titles of 24 characters, descriptions of 72. A longer menu is paged: each page keeps
  the navigation buttons (back, cancel, menu) and gets a "more options" row, whose id names
  the outbox row and the page (the webhook side shows that page, bot/whatsapp/paging.py).
- A label too long for its place takes the short label of its button id from
  locales/*/whatsapp.ftl (`whatsapp-label-<button id>`); a label without one (a topic, an
  official) is shortened, and shown in full as the row's description.
- Text: at most 4096 characters per message; an interactive message's body at most 1024,
  so a longer text goes first as text messages and the buttons follow under its last
  paragraph. Lengths are counted in UTF-16 units, as Meta's limits are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from bot.flow.events import Button, Reply
from bot.whatsapp.text import length, shorten, split_for_body, split_text

MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_ID = 200  # list rows allow 200 characters, reply buttons 256
PAGE_KEY = "wa_page"  # Reply.extra: the page of a long menu to show
MORE = "wa:more:"  # + "<outbox id>:<page>"
NAV_PREFIX = "nav:"
SHORT_LABEL_PREFIX = "whatsapp-label-"
LEADING_PART_GOES_FIRST = ("slot:",)  # a slot's label starts with its weekday


class RenderError(ValueError):
    """The reply cannot be shown on WhatsApp (nothing to send, an over-long button id)."""


class Translate(Protocol):
    def __call__(self, lang: str, message_id: str, **args: Any) -> str: ...
    def has(self, lang: str, message_id: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class Part:
    """One message to send: ready (`message`), or a document to upload first."""

    message: dict[str, Any] | None = None
    document_path: str | None = None  # relative to the data folder
    document_name: str | None = None


@dataclass(frozen=True, slots=True)
class Wording:
    translate: Translate
    lang: str

    def t(self, message_id: str, **args: Any) -> str:
        return self.translate(self.lang, message_id, **args)

    def label(self, button: Button, limit: int) -> str | None:
        """The button's label, or its short label, within `limit`; None if neither fits."""
        if length(button.label) <= limit:
            return button.label
        short_id = SHORT_LABEL_PREFIX + re.sub(r"[^a-z0-9]+", "-", button.id.lower()).strip("-")
        if self.translate.has(self.lang, short_id):
            short = self.t(short_id)
            if length(short) <= limit:
                return short
        if button.id.startswith(LEADING_PART_GOES_FIRST):
            # "среда, 11 марта 2026 г., 10:00": the weekday gives way before the time does.
            rest = button.label.partition(", ")[2]
            if rest and length(rest) <= limit:
                return rest
        return None


def render(reply: Reply, wording: Wording, outbox_id: int | None) -> list[Part]:
    buttons = [button for row in reply.buttons for button in row]
    for button in buttons:
        if not 1 <= len(button.id) <= MAX_ID:
            raise RenderError(f"button id of {len(button.id)} characters")
    page = int(reply.extra.get(PAGE_KEY) or 0)
    parts: list[Part] = []
    if not buttons:
        parts += [_text(piece) for piece in split_text(reply.text)]
    elif page:
        parts.append(_list(reply, buttons, wording, outbox_id, page, None))
    else:
        head, body = split_for_body(reply.text)
        parts += [_text(piece) for piece in split_text(head)]
        if _as_reply_buttons(buttons, wording):
            parts.append(_reply_buttons(buttons, wording, body or wording.t("whatsapp-choose")))
        else:
            parts.append(_list(reply, buttons, wording, outbox_id, 0, body))
    if reply.document_path:
        parts.append(Part(document_path=reply.document_path, document_name=reply.document_name))
    if not parts:
        raise RenderError("nothing to send")
    return parts


def _text(piece: str) -> Part:
    return Part({"type": "text", "text": {"body": piece, "preview_url": False}})


def _as_reply_buttons(buttons: list[Button], wording: Wording) -> bool:
    if len(buttons) > MAX_BUTTONS:
        return False
    return all(wording.label(button, MAX_BUTTON_TITLE) is not None for button in buttons)


def _reply_buttons(buttons: list[Button], wording: Wording, body: str) -> Part:
    action = {
        "buttons": [
            {"type": "reply", "reply": {"id": b.id, "title": wording.label(b, MAX_BUTTON_TITLE)}}
            for b in buttons
        ]
    }
    interactive = {"type": "button", "body": {"text": body}, "action": action}
    return Part({"type": "interactive", "interactive": interactive})


def _list(
    reply: Reply,
    buttons: list[Button],
    wording: Wording,
    outbox_id: int | None,
    page: int,
    body: str | None,
) -> Part:
    rows, page, pages = _page(buttons, wording, outbox_id, page)
    if page or not body:
        body = wording.t("whatsapp-list-page", page=page + 1, pages=pages) if page else body
    action = {
        "button": shorten(wording.t("whatsapp-list-open"), MAX_BUTTON_TITLE),
        "sections": [{"rows": [_row(button, wording) for button in rows]}],
    }
    interactive = {
        "type": "list",
        "body": {"text": body or wording.t("whatsapp-choose")},
        "action": action,
    }
    return Part({"type": "interactive", "interactive": interactive})


def _page(
    buttons: list[Button], wording: Wording, outbox_id: int | None, page: int
) -> tuple[list[Button], int, int]:
    """The rows of `page` (clamped), the page shown and the number of pages."""
    if len(buttons) <= MAX_ROWS:
        return buttons, 0, 1
    if outbox_id is None:
        raise RenderError("a paged list needs the outbox row's id")
    nav = [b for b in buttons if b.id.startswith(NAV_PREFIX)]
    items = [b for b in buttons if not b.id.startswith(NAV_PREFIX)]
    per_page = MAX_ROWS - len(nav) - 1  # one row turns the page
    if per_page < 1:
        nav, items, per_page = [], buttons, MAX_ROWS - 1
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)]
    page = min(max(page, 0), len(chunks) - 1)
    if page < len(chunks) - 1:
        turn = Button(f"{MORE}{outbox_id}:{page + 1}", wording.t("whatsapp-list-more"))
    else:
        turn = Button(f"{MORE}{outbox_id}:0", wording.t("whatsapp-list-first"))
    return [*chunks[page], turn, *nav], page, len(chunks)


def _row(button: Button, wording: Wording) -> dict[str, str]:
    title = wording.label(button, MAX_ROW_TITLE) or shorten(button.label, MAX_ROW_TITLE)
    description = button.description
    if title != button.label:
        description = description or button.label  # the whole label, where it fits
    row = {"id": button.id, "title": title}
    if description:
        row["description"] = shorten(description, MAX_ROW_DESCRIPTION)
    return row
