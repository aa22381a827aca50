"""Cloud API webhook bodies read into plain values. No I/O.

A body is `{"object": "whatsapp_business_account", "entry": [{"changes": [{"field":
"messages", "value": {...}}]}]}`; each value carries `metadata.phone_number_id` (the number it
reached), `contacts` (the citizen's profile name), `messages` and/or `statuses`. Changes for
another phone number of the same app are skipped: we answer only on ours.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class InboundMessage:
    wamid: str
    chat_id: str  # the citizen's WhatsApp id: the phone in international digits
    at: datetime
    type: str  # text | interactive | button | image | document | audio | ...
    content: dict[str, Any] = field(default_factory=dict)  # the object named by `type`
    display_name: str | None = None


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    wamid: str
    status: str  # sent | delivered | read | failed
    at: datetime
    error_code: int | None = None
    error_title: str | None = None


@dataclass(slots=True)
class WebhookContent:
    messages: list[InboundMessage] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)


def moment(timestamp: Any, fallback: datetime) -> datetime:
    """Meta's timestamps are Unix seconds as strings."""
    try:
        return datetime.fromtimestamp(int(timestamp), UTC)
    except (TypeError, ValueError, OverflowError):
        return fallback


def read_body(body: Any, phone_number_id: str, received_at: datetime) -> WebhookContent:
    content = WebhookContent()
    if not isinstance(body, dict):
        return content
    for entry in _list(body.get("entry")):
        for change in _list(entry.get("changes") if isinstance(entry, dict) else None):
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict) or change.get("field", "messages") != "messages":
                continue
            number = str((value.get("metadata") or {}).get("phone_number_id") or "")
            if number != phone_number_id:
                log.info("whatsapp webhook: a change for another phone number was skipped")
                continue
            names = _profile_names(value)
            for message in _list(value.get("messages")):
                found = _message(message, names, received_at)
                if found is not None:
                    content.messages.append(found)
            for status in _list(value.get("statuses")):
                found_status = _status(status, received_at)
                if found_status is not None:
                    content.statuses.append(found_status)
    return content


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _profile_names(value: dict[str, Any]) -> dict[str, str]:
    names = {}
    for contact in _list(value.get("contacts")):
        if isinstance(contact, dict) and contact.get("wa_id"):
            name = (contact.get("profile") or {}).get("name")
            if name:
                names[str(contact["wa_id"])] = str(name)
    return names


def _message(message: Any, names: dict[str, str], received_at: datetime) -> InboundMessage | None:
    if not isinstance(message, dict) or not message.get("id") or not message.get("from"):
        return None
    kind = str(message.get("type") or "unsupported")
    content = message.get(kind)
    if isinstance(content, list):  # "contacts" is a list of cards
        content = {kind: content}
    chat_id = str(message["from"])
    return InboundMessage(
        wamid=str(message["id"]),
        chat_id=chat_id,
        at=moment(message.get("timestamp"), received_at),
        type=kind,
        content=content if isinstance(content, dict) else {},
        display_name=names.get(chat_id),
    )


def _status(status: Any, received_at: datetime) -> StatusUpdate | None:
    if not isinstance(status, dict) or not status.get("id") or not status.get("status"):
        return None
    errors = [e for e in _list(status.get("errors")) if isinstance(e, dict)]
    first = errors[0] if errors else {}
    code = first.get("code")
    return StatusUpdate(
        wamid=str(status["id"]),
        status=str(status["status"]),
        at=moment(status.get("timestamp"), received_at),
        error_code=code if isinstance(code, int) else None,
        error_title=str(first.get("title") or first.get("message") or "")[:200] or None,
    )
