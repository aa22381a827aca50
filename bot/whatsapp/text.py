"""Texts within WhatsApp's limits: lengths in UTF-16 units (as Meta counts them, so an emoji
counts twice), shortening with an ellipsis, and splitting at paragraph, line or word ends."""

from __future__ import annotations

MAX_TEXT = 4096  # a text message
MAX_BODY = 1024  # an interactive message's body


def length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def prefix_within(text: str, limit: int) -> int:
    """How many leading characters of `text` fit in `limit` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def shorten(text: str, limit: int) -> str:
    if length(text) <= limit:
        return text
    return text[: prefix_within(text, limit - 1)].rstrip() + "…"


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces within `limit`, cut at paragraph, line or word ends where possible."""
    parts: list[str] = []
    rest = text.strip()
    while length(rest) > limit:
        window = prefix_within(rest, limit)
        cut = window
        for separator in ("\n\n", "\n", " "):
            at = rest.rfind(separator, 0, window)
            if at > window // 2:
                cut = at + len(separator)
                break
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


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
