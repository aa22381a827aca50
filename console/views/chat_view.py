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


def message_view(request: web.Request, message: MessageRecord) -> dict[str, Any]:
    translator = request.config_dict[TRANSLATOR]
    lang = language(request)
    payload = message.payload or {}
    text = message.text or payload.get("text") or ""
    if not text and payload.get("message_id"):
        # A notice the sender renders for the citizen; shown in the operator's language.
        text = translator(lang, str(payload["message_id"]))
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
