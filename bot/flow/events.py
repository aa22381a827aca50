"""What a channel hands the dialog, and what the dialog hands back. Channel-free.

Every adapter (Telegram, web chat, WhatsApp) translates its own payloads into `Incoming` and
renders `Reply` within its own limits (inline keyboards; reply buttons and lists).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

LANGUAGE_KEY = "lang"  # Reply.extra: the language the reply is written in (bot.outbox.render)


class EventKind(StrEnum):
    TEXT = "text"
    BUTTON = "button"  # a tap on a button: `button` holds the button id
    CONTACT = "contact"  # a shared phone number (Telegram's contact button)
    FILE = "file"  # photo or document, already downloaded and checked by the adapter
    COMMAND = "command"  # /start, /operator, /menu ... : `text` holds the command, `args` the rest


def needs_citizen_language(extra: dict[str, object], ask_contact: bool) -> bool:
    """A reply whose channel adds words of its own (Telegram's contact-button label) and that
    does not say its language: the sender looks the citizen's language up (bot.outbox)."""
    return LANGUAGE_KEY not in extra and ask_contact


@dataclass(frozen=True, slots=True)
class IncomingFile:
    file_name: str
    mime_type: str
    size: int
    content: bytes | None = None  # None when the adapter refused it (too large, wrong type)
    refused_reason: str | None = None  # Fluent id of the refusal, e.g. "file-too-large"


@dataclass(frozen=True, slots=True)
class Incoming:
    channel: str  # telegram | web | whatsapp
    chat_id: str
    external_id: str  # update_id / wamid / web message id: de-duplication key
    at: datetime
    kind: EventKind
    text: str | None = None
    button: str | None = None
    args: str | None = None
    contact_phone: str | None = None
    file: IncomingFile | None = None
    language_hint: str | None = None  # e.g. Telegram's language_code
    display_name: str | None = None


@dataclass(frozen=True, slots=True)
class Button:
    id: str
    label: str
    description: str | None = None  # WhatsApp list rows may show it


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()  # rows of buttons
    ask_contact: bool = False  # Telegram: a reply keyboard with a contact-share button
    document_path: str | None = None  # a file under the data folder to send (e.g. an .ics)
    document_name: str | None = None
    kind: str | None = None  # for notices: the NoticeKind (WhatsApp templates, R38)
    extra: dict[str, str] = field(default_factory=dict)

    def written_in(self, lang: str) -> Reply:
        """This reply marked with its language: a channel that adds words of its own (a
        contact button's label) writes them in the same language."""
        if self.extra.get(LANGUAGE_KEY) == lang:
            return self
        return Reply(
            self.text,
            self.buttons,
            self.ask_contact,
            self.document_path,
            self.document_name,
            self.kind,
            {**self.extra, LANGUAGE_KEY: lang},
        )

    def to_payload(self) -> dict[str, object]:
        return {
            "text": self.text,
            "buttons": [[[b.id, b.label, b.description] for b in row] for row in self.buttons],
            "ask_contact": self.ask_contact,
            "document_path": self.document_path,
            "document_name": self.document_name,
            "kind": self.kind,
            "extra": dict(self.extra),
        }

    @classmethod
    def from_payload(cls, data: dict[str, object]) -> Reply:
        rows = data.get("buttons") or []
        buttons = tuple(
            tuple(Button(str(b[0]), str(b[1]), b[2] if len(b) > 2 else None) for b in row)
            for row in rows  # type: ignore[union-attr]
        )
        return cls(
            text=str(data.get("text", "")),
            buttons=buttons,
            ask_contact=bool(data.get("ask_contact")),
            document_path=data.get("document_path"),  # type: ignore[arg-type]
            document_name=data.get("document_name"),  # type: ignore[arg-type]
            kind=data.get("kind"),  # type: ignore[arg-type]
            extra=dict(data.get("extra") or {}),  # type: ignore[call-overload]
        )
