"""Texts within a channel's length limit, channel-free: lengths in UTF-16 code units (as
Telegram and Meta count them, so an emoji counts twice) and splitting at paragraph, line or
word ends. Each channel passes its own limit."""

from __future__ import annotations

_SEPARATORS = ("\n\n", "\n", " ")  # where a cut is best made, best first


def length(text: str) -> int:
    """The length of `text` in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def prefix_within(text: str, limit: int) -> int:
    """How many leading characters of `text` fit in `limit` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _longer_than(text: str, limit: int) -> bool:
    """`length(text) > limit`, mostly without encoding: a character is one or two units."""
    count = len(text)
    if count > limit:
        return True
    if 2 * count <= limit:
        return False
    return length(text) > limit


def split_text(text: str, limit: int) -> list[str]:
    """`text` stripped, in pieces of at most `limit` UTF-16 units, each cut after the last
    paragraph, line or word end in its second half, or at the limit when there is none."""
    parts: list[str] = []
    rest = text.strip()
    while _longer_than(rest, limit):
        window = prefix_within(rest, limit)
        cut = window
        for separator in _SEPARATORS:
            at = rest.rfind(separator, 0, window)
            if at > window // 2:
                cut = at + len(separator)
                break
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts
