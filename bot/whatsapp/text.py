"""Texts within WhatsApp's limits: lengths in UTF-16 units (as Meta counts them, so an emoji
counts twice), shortening with an ellipsis, and splitting at paragraph, line or word ends."""

from __future__ import annotations

from bot.flow import textsplit
from bot.flow.textsplit import length, prefix_within

__all__ = ["length", "prefix_within", "shorten", "split_for_body", "split_text"]

MAX_TEXT = 4096  # a text message
MAX_BODY = 1024  # an interactive message's body


def shorten(text: str, limit: int) -> str:
    if length(text) <= limit:
        return text
    return text[: prefix_within(text, limit - 1)].rstrip() + "…"


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces within `limit`, cut at paragraph, line or word ends where possible."""
    return textsplit.split_text(text, limit)


def split_for_body(text: str) -> tuple[str, str]:
    """(what goes before as text messages, the interactive body within 1024 characters):
    the longest run of final paragraphs that fits, or no body when none does."""
    text = text.strip()
    if length(text) <= MAX_BODY:
        return "", text
    for separator in ("\n\n", "\n"):
        at = text.find(separator)
        while at != -1:
            tail = text[at:].strip()
            if tail and length(tail) <= MAX_BODY:
                return text[:at].strip(), tail
            at = text.find(separator, at + 1)
    return text, ""
