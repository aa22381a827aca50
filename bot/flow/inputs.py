"""Reading what the citizen typed: names, phones, document numbers, yes/no, files."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.flow import buttons as b
from reception.citizens import DocumentKind

if TYPE_CHECKING:
    from bot.flow.turn import Rows, Turn

MAX_NAME = 200
MAX_ORGANISATION = 300
_PHONE_SEPARATORS = re.compile(r"[\s().\-\u00a0]")
_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['’`\-.][^\W\d_]*)*$")
_ID_NUMBER = re.compile(r"^[0-9A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{5,20}$")
_YES = frozenset({"да", "иә", "ия", "yes", "ok"})
_NO = frozenset({"нет", "жоқ", "no"})


def normalise_phone(raw: str) -> str | None:
    """A Kazakhstan number as +7XXXXXXXXXX (typed as +7, 8 or 7 and ten digits, or just the
    ten digits); a foreign one typed with "+" and its country code is kept as +<digits>."""
    text = _PHONE_SEPARATORS.sub("", raw.strip())
    international = text.startswith("+")
    digits = text.removeprefix("+")
    if not digits.isascii() or not digits.isdigit():
        return None
    if len(digits) == 11 and digits[0] in "78":  # "+8 701 ..." is a common slip for +7
        return "+7" + digits[1:]
    if len(digits) == 10 and not international:
        return "+7" + digits
    if international and 8 <= len(digits) <= 15 and digits[0] != "7":
        return "+" + digits
    return None


def phone_from_contact(raw: str) -> str | None:
    """A shared contact's number: Telegram sends international digits, with or without "+"."""
    digits = _PHONE_SEPARATORS.sub("", raw.strip()).removeprefix("+")
    return normalise_phone(digits if len(digits) == 11 and digits[0] in "78" else "+" + digits)


def phone_from_chat_id(chat_id: str) -> str | None:
    """WhatsApp's chat id is the number in international digits."""
    return phone_from_contact(chat_id)


def person_name(text: str | None) -> str | None:
    """A full name: two to six words of letters (hyphens and apostrophes allowed)."""
    if not text or len(text) > MAX_NAME:
        return None
    words = text.split()
    if not 2 <= len(words) <= 6 or not all(_NAME_WORD.match(word) for word in words):
        return None
    return " ".join(words)


def organisation_name(text: str | None) -> str | None:
    if not text or len(text) > MAX_ORGANISATION:
        return None
    name = " ".join(text.split())
    return name if sum(ch.isalpha() for ch in name) >= 2 else None


def id_number(text: str | None) -> str | None:
    if not text:
        return None
    compact = re.sub(r"[\s\-№#]", "", text).upper()
    return compact if _ID_NUMBER.match(compact) else None


def yes_no(turn: Turn) -> bool | None:
    """True for yes, False for no (a button, or the word typed), None otherwise."""
    if turn.button in (b.YES, b.NO):
        return turn.button == b.YES
    word = (turn.text or "").casefold().rstrip(".!")
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


def yes_no_rows(turn: Turn) -> Rows:
    """The yes and no buttons `yes_no` reads, in one row (kept per language: Turn.once)."""
    return ((turn.btn(b.YES, "booking-yes"), turn.btn(b.NO, "booking-no")),)


async def take_file(turn: Turn, kind: DocumentKind) -> int | None:
    """Stores the event's file as a document of `kind`; on anything else re-asks, with the
    reason when the file was refused (too large, wrong type), and returns None."""
    file = turn.file
    if file is None:
        await turn.reask("booking-error-expected-file")
        return None
    files = turn.env.files
    refusal = files.refusal(file)
    if refusal is not None:
        await turn.reask(refusal, **files.refusal_args())
        return None
    document = await files.save(turn.uow, turn.citizen_id, kind, file, turn.event.channel, turn.now)
    turn.document_id = document.id
    return document.id
