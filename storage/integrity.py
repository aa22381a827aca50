"""Unique-index violations that mean something to the domain become domain errors.

PostgreSQL names the violated index in the message; SQLite names the indexed columns
("UNIQUE constraint failed: requests.slot_id"), so each rule lists both.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from reception.errors import ActiveRequestExists, DomainError, SlotTaken

_RULES: tuple[tuple[str, str, type[DomainError]], ...] = (
    ("uq_requests_slot_holding", "requests.slot_id", SlotTaken),
    (
        "uq_requests_citizen_official_active",
        "requests.citizen_id, requests.official_id",
        ActiveRequestExists,
    ),
)


def domain_error(exc: IntegrityError) -> DomainError | None:
    """The domain error for a known index, or None: an unknown violation is a bug."""
    message = str(exc.orig)
    for index_name, sqlite_columns, error in _RULES:
        if f'"{index_name}"' in message or message.endswith(f"failed: {sqlite_columns}"):
            return error()
    return None


@contextmanager
def domain_errors() -> Iterator[None]:
    """Re-raises a known unique-index violation as its domain error.

    On PostgreSQL the failed statement aborts the transaction: after the domain error the unit
    of work can only roll back, as on any error.
    """
    try:
        yield
    except IntegrityError as exc:
        error = domain_error(exc)
        if error is None:
            raise
        raise error from exc
