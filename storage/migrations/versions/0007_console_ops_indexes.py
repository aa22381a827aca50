"""console ops: indexes for the requests list's IIN search and priority filter, and the report

Revision ID: 0007_console_ops_indexes
Revises: 0006_whatsapp
Create Date: 2026-11-22 04:40:00

Measured with bench/console.py on 100k requests (see storage/tables_console_ops.py):
- `ix_requests_principal_id_number_present`: principal_id_number only where present, so the
  IIN search `applicant_iin = x OR principal_id_number = x` is two index lookups on SQLite
  instead of a full scan (~1.4 s -> ~10 ms).
- `ix_requests_priority_answer_due_id`: the "out of turn" filter (R9) walks only priority
  requests, in the list's order.
- `ix_requests_registration_report` (covering) replaces 0003's ix_requests_registration_date,
  and `ix_request_history_request_id_at_to_status`: the quarterly report (R30) reads a
  quarter's breakdown and terms from the first alone and each first answer from the second
  (~0.8 s -> well under 0.1 s of CPU for a quarter of 100k requests on SQLite).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_console_ops_indexes"
down_revision: str | None = "0006_whatsapp"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRINCIPAL_PRESENT = sa.text("principal_id_number IS NOT NULL")
PRIORITY = sa.text("priority_category IS NOT NULL")


REPORT_COLUMNS = [
    "registration_date",
    "channel",
    "topic_id",
    "official_id",
    "status",
    "answer_due",
    "extended_until",
    "id",
]


def upgrade() -> None:
    op.drop_index("ix_requests_registration_date", table_name="requests")
    op.create_index("ix_requests_registration_report", "requests", REPORT_COLUMNS, unique=False)
    op.create_index(
        "ix_request_history_request_id_at_to_status",
        "request_history",
        ["request_id", "at", "to_status"],
        unique=False,
    )
    op.create_index(
        "ix_requests_principal_id_number_present",
        "requests",
        ["principal_id_number"],
        unique=False,
        sqlite_where=PRINCIPAL_PRESENT,
        postgresql_where=PRINCIPAL_PRESENT,
    )
    op.create_index(
        "ix_requests_priority_answer_due_id",
        "requests",
        ["answer_due", "id"],
        unique=False,
        sqlite_where=PRIORITY,
        postgresql_where=PRIORITY,
    )


def downgrade() -> None:
    op.drop_index("ix_request_history_request_id_at_to_status", table_name="request_history")
    op.drop_index("ix_requests_registration_report", table_name="requests")
    op.create_index(
        "ix_requests_registration_date", "requests", ["registration_date"], unique=False
    )
    op.drop_index("ix_requests_priority_answer_due_id", table_name="requests")
    op.drop_index("ix_requests_principal_id_number_present", table_name="requests")
