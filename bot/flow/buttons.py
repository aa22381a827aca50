"""Button ids (STYLE: constants for callback ids). Short: Telegram allows 64 bytes of
callback data, and every id is stored with each reply in the outbox and the message log."""

from __future__ import annotations

# Everywhere
BACK = "nav:back"
CANCEL = "nav:cancel"
MENU = "nav:menu"
OPERATOR = "nav:operator"
YES = "yes"
NO = "no"

# Language and consent (R36)
LANGUAGE = "lang:"  # + kk | ru
CONSENT_YES = "consent:yes"
CONSENT_NO = "consent:no"

# Main menu
BOOK = "menu:book"
MY_REQUESTS = "menu:mine"
SCHEDULE = "menu:schedule"
CHANGE_LANGUAGE = "menu:language"
GIVE_CONSENT = "menu:consent"

# Booking
REPRESENTATION = "rep:"  # + self | person | organisation
ID_TYPE = "idtype:"  # + a key of ID_DOCUMENT_TYPES
TOPIC = "topic:"  # + topic id
OTHER_TOPIC = "topic:other"
CONTINUE = "continue"
OFFICIAL = "official:"  # + official id
PRIORITY = "priority:"  # + category id, or NO_PRIORITY
NO_PRIORITY = "priority:none"
FORMAT = "format:"  # + in_person | video
RECEPTION_LANGUAGE = "rlang:"  # + kk | ru
SLOT = "slot:"  # + slot id
SLOT_PAGE = "page:"  # + page number
QUEUE = "slot:queue"  # R22: no slot suits; staff place the request
CONFIRM = "confirm"

# My requests
REQUEST = "req:"  # + request id
WITHDRAW = "act:withdraw"
REPLY = "act:reply"
REQUESTS_LIST = "act:list"
DONE = "act:done"


def suffix(button: str | None, prefix: str) -> str | None:
    """The part of `button` after `prefix`, or None when it is another button."""
    if button is None or not button.startswith(prefix):
        return None
    return button[len(prefix) :]


def number_after(button: str | None, prefix: str) -> int | None:
    rest = suffix(button, prefix)
    if rest is None or not rest.isdigit():
        return None
    return int(rest)
