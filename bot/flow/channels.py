"""What the dialog needs to know of each channel, and nothing more: it stays channel-free."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Capabilities:
    phone_is_chat_id: bool = False  # WhatsApp: the chat id is the phone, so it is not asked
    shares_contact: bool = False  # Telegram: a button that shares the phone number


CHANNELS: dict[str, Capabilities] = {
    "telegram": Capabilities(shares_contact=True),
    "whatsapp": Capabilities(phone_is_chat_id=True),
    "web": Capabilities(),
}


def capabilities(channel: str) -> Capabilities:
    return CHANNELS.get(channel, Capabilities())
