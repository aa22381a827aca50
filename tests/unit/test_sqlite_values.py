"""The hot path's own value conversions write what SQLAlchemy's column types write, so a row
the bot writes in plain SQL reads back the same through SQLAlchemy, and the other way round."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

import pytest
from sqlalchemy.dialects import sqlite

from storage.jsonenc import dumps, loads
from storage.repositories._sqlite_values import datetime_from_db, datetime_to_db
from storage.types import UtcDateTime

DIALECT = sqlite.dialect()
_TYPE = UtcDateTime().dialect_impl(DIALECT)
TO_DB = _TYPE.bind_processor(DIALECT)
FROM_DB = _TYPE.result_processor(DIALECT, None)
ALMATY = timezone(timedelta(hours=5))

MOMENTS = [
    datetime(2026, 11, 23, 10, 40, tzinfo=ALMATY),
    datetime(2026, 3, 21, 0, 0, 0, 1, tzinfo=UTC),
    datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=ALMATY),
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_moment_is_written_as_sqlalchemy_writes_it(moment: datetime) -> None:
    assert datetime_to_db(moment) == TO_DB(moment)


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_moment_reads_back_as_sqlalchemy_reads_it(moment: datetime) -> None:
    stored = TO_DB(moment)
    assert datetime_from_db(stored) == FROM_DB(stored) == moment
    assert datetime_from_db(stored).tzinfo == UTC


def test_interleaved_moments_are_each_written_as_their_own() -> None:
    """The remembered texts of recent moments never answer for another moment."""
    moments = [datetime(2026, 11, 23, 5, minute, tzinfo=UTC) for minute in range(6)] + MOMENTS
    for _ in range(3):
        for moment in moments + moments[::2]:
            assert datetime_to_db(moment) == TO_DB(moment)


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        datetime_to_db(datetime(2026, 11, 23, 10, 40))


class Kind(StrEnum):
    BOOKED = "booked"


PAYLOADS: list[Any] = [
    {"text": "Қабылдауға жазылу: 23 қараша 2026 ж.", "buttons": [[["slot:5", "10:40"]]]},
    {"lang": "kk", "draft": {"answers": {"g1": False}, "topic": 3}, "trail": ["menu"]},
    {"kind": Kind.BOOKED, "on": date(2026, 11, 23), "at": MOMENTS[0], 7: "a number key"},
    [],
    {"nested": {"empty": {}, "none": None, "float": 1.5, "true": True}},
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_json_is_the_standard_compact_utf8_text(payload: Any) -> None:
    standard = json.dumps(
        payload,
        default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v),
        ensure_ascii=False,
        separators=(",", ":"),
    )
    assert dumps(payload) == standard
    assert loads(dumps(payload)) == json.loads(standard)
