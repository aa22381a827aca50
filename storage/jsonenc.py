"""JSON for the database's JSON columns: dates and times in ISO 8601, enums by value.

orjson, not the standard library: the bot writes a conversation's state, its messages and
their replies as JSON on every update, and the standard encoder took a tenth of an update's
time (bench/dialog.py). The output is the same compact UTF-8 text the standard library would
write with `separators=(",", ":")` and `ensure_ascii=False`; keys that are not strings (an int)
are written as strings, as the standard library does.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

import orjson

_OPTIONS = orjson.OPT_NON_STR_KEYS


def _default(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(value: Any) -> str:
    return orjson.dumps(value, default=_default, option=_OPTIONS).decode()


loads = orjson.loads
