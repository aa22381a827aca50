"""How a chat message is shown to an operator: the same fields for the first render (Jinja)
and for each live event (JSON), so both look alike."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from app.keys import TRANSLATOR
from console.web import language
from locales import format_datetime
from reception.citizens import Citizen, Role
from reception.ports import Conversation, MessageRecord

OPERATOR_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})
# Canned replies: Fluent ids `ops-canned-<name>` in kk and ru; sent in the citizen's language.
CANNED_REPLIES = ("greeting", "wait", "documents", "schedule", "status", "thanks")
_AUTHORS = {"citizen": "ops-chat-author-citizen", "bot": "ops-chat-author-bot"}


def chat_language(conversation: Conversation, citizen: Citizen | None) -> str:
    """The citizen's chosen language (R11): the dialog's, else their record's, else Russian."""
    chosen = conversation.data.get("lang") or (citizen.language if citizen else None)
    return chosen if chosen in ("kk", "ru") else "ru"


class ButtonLabels:
    """What the citizen tapped: the log keeps a button's id (`payload.button`); its label is in
    the bot message that offered it, the last outgoing one before the tap."""

    def __init__(self) -> None:
        self.offered: dict[str, str] = {}

    def seen(self, message: MessageRecord) -> None:
        rows = (message.payload or {}).get("buttons") if message.direction == "out" else None
        if rows:
            self.offered = {str(b[0]): str(b[1]) for row in rows for b in row if len(b) > 1}

    def label(self, button_id: str) -> str:
        return self.offered.get(button_id, button_id)


def message_views(
    request: web.Request, messages: list[MessageRecord], labels: ButtonLabels | None = None
) -> list[dict[str, Any]]:
    """The messages in order, each tap shown with the label of the button tapped."""
    labels = labels or ButtonLabels()
    views = []
    for message in messages:
        views.append(message_view(request, message, labels))
        labels.seen(message)
    return views


def _citizen_input(payload: dict[str, Any], labels: ButtonLabels | None) -> str:
    if payload.get("button"):
        button = str(payload["button"])
        return "▸ " + (labels.label(button) if labels else button)
    if payload.get("contact_phone"):
        return "☎ " + str(payload["contact_phone"])
    file = payload.get("file")
    if isinstance(file, dict):
        return "📎 " + str(file.get("name") or "")
    return ""


def message_view(
    request: web.Request, message: MessageRecord, labels: ButtonLabels | None = None
) -> dict[str, Any]:
    translator = request.config_dict[TRANSLATOR]
    lang = language(request)
    payload = message.payload or {}
    text = message.text or payload.get("text") or ""
    if not text and payload.get("message_id"):
        # A notice the sender renders for the citizen; shown in the operator's language.
        text = translator(lang, str(payload["message_id"]))
    if not text and message.direction == "in":
        text = _citizen_input(payload, labels)
    author = _AUTHORS.get(message.author_kind, "ops-chat-author-staff")
    document = None
    if message.document_id is not None:
        # Named only: operators are not among the roles that open citizens' documents; the
        # reception staff see them, audited, on the request card.
        document = {"id": message.document_id, "name": payload.get("document_name") or ""}
    return {
        "id": message.id,
        "direction": message.direction,
        "author": translator(lang, author),
        "text": text,
        "at": format_datetime(message.at, lang),
        "document": document,
    }
