"""Logging: one line per record, and no personal data in any of them (R36, R37).

`RedactPersonalData` sits on the handler, so it sees every record that reaches it, from our
loggers and from libraries alike (aiohttp's access log carries query strings, aiogram logs
updates). It rewrites the message with its arguments merged, the traceback and the stack.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Libraries that say too much at INFO; they keep their INFO lines at DEBUG.
CHATTY_LOGGERS = ("alembic.runtime.plugins",)

# IIN / BIN (R37): twelve digits, bare or in the usual groups (6+6, 4+4+4, 3+3+3+3) ...
_IIN_GROUPED = re.compile(
    r"(?<!\d)(?:\d{12}|\d{6}[ -]\d{6}|\d{4}[ -]\d{4}[ -]\d{4}|\d{3}[ -]\d{3}[ -]\d{3}[ -]\d{3})"
    r"(?!\d)"
)
# ... or split anywhere, when the run stands alone. The stricter edges keep dates such as
# "2025-03-21 2025-03-22" (sixteen digits) intact.
_IIN_ANY_SPLIT = re.compile(r"(?<!\d)(?<!\d[ -])\d(?:[ -]?\d){11}(?![ -]?\d)")
# Kazakhstan phones: +7 or 8 (or a bare 7, as WhatsApp ids come), then ten digits in any
# common spacing: "+7 (701) 234-56-78", "8 701 234 56 78", "77012345678".
_PHONE = re.compile(r"(?:\+\s?7|(?<![\d+])[78])(?:[\s().-]{0,2}\d){10}(?!\d)")
_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")

_REPLACEMENTS = (
    (_EMAIL, "[EMAIL]"),
    (_IIN_GROUPED, "[IIN]"),
    (_IIN_ANY_SPLIT, "[IIN]"),
    (_PHONE, "[PHONE]"),
)


def redact(text: str) -> str:
    """The text with IINs/BINs, phone numbers and e-mail addresses replaced by placeholders."""
    for pattern, placeholder in _REPLACEMENTS:
        text = pattern.sub(placeholder, text)
    return text


class RedactPersonalData(logging.Filter):
    """Rewrites each record in place; never drops one."""

    _exception_formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit the format
            message = f"{record.msg} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            # The formatter reuses exc_text, so the traceback is formatted once, redacted.
            record.exc_text = self._exception_formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class _ReceptionHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler configure_logging installed, so a second call replaces it."""


def configure_logging(level: str | int = "INFO", stream: TextIO | None = None) -> logging.Handler:
    """One stream handler on the root logger, with the redaction filter."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _ReceptionHandler)]:
        root.removeHandler(old)
    handler = _ReceptionHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactPersonalData())
    root.addHandler(handler)
    root.setLevel(level)
    chatty_level = logging.DEBUG if root.level <= logging.DEBUG else logging.WARNING
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(chatty_level)
    return handler
