"""console core: Telegram link codes of officials, indexes of the requests list

Revision ID: 0004_console_core
Revises: 0003_console_ops
Create Date: 2026-11-22 05:00:00

- `official_link_codes`: one-time codes (hashed, with expiry) to link an official's Telegram.
- `request_invitations`: other bodies invited to take part in a reception (R13, R25).
- `ix_requests_due_search`: the requests list pages by (answer_due, id) (keyset); with
  search_text in the index, a name search walks it without reading table rows.
- `ix_requests_applicant_iin`: search by IIN (R37).
- `ix_requests_active_due`: partial, in due order, for the list's default scope (live
  requests) and its due and overdue filters.
- `ix_requests_search_text_trgm` (PostgreSQL, pg_trgm): LIKE '%name%' for rare names.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_console_core"
down_revision: str | None = "0003_console_ops"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)
# reception.requests.ACTIVE_STATUSES as of this revision, sorted (the list's partial index).
ACTIVE_STATUSES = (
    "booked",
    "extended",
    "needs_fix",
    "refusal_draft",
    "registered",
    "rescheduled",
    "under_review",
)


def upgrade() -> None:
    op.create_table(
        "official_link_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("used_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_official_link_codes_official_id_officials"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_official_link_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_official_link_codes_code_hash")),
    )
    op.create_index(
        op.f("ix_official_link_codes_official_id"),
        "official_link_codes",
        ["official_id"],
        unique=False,
    )
    op.create_table(
        "request_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("invited_at", TIMESTAMP, nullable=False),
        sa.Column("invited_by", sa.Integer(), nullable=True),
        sa.Column("notice_due", sa.Date(), nullable=False),
        sa.Column("declined_at", TIMESTAMP, nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name=op.f("fk_request_invitations_request_id_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_invitations")),
    )
    op.create_index(
        op.f("ix_request_invitations_request_id"),
        "request_invitations",
        ["request_id"],
        unique=False,
    )
    op.create_index(
        "ix_requests_due_search", "requests", ["answer_due", "id", "search_text"], unique=False
    )
    op.create_index("ix_requests_applicant_iin", "requests", ["applicant_iin"], unique=False)
    active = sa.text(f"status IN ({', '.join(repr(s) for s in ACTIVE_STATUSES)})")
    op.create_index(
        "ix_requests_active_due",
        "requests",
        ["answer_due", "id"],
        unique=False,
        sqlite_where=active,
        postgresql_where=active,
    )
    if op.get_bind().dialect.name == "postgresql":
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            "ix_requests_search_text_trgm",
            "requests",
            ["search_text"],
            unique=False,
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_requests_search_text_trgm", table_name="requests")
    op.drop_index("ix_requests_active_due", table_name="requests")
    op.drop_index("ix_requests_applicant_iin", table_name="requests")
    op.drop_index("ix_requests_due_search", table_name="requests")
    op.drop_index(op.f("ix_request_invitations_request_id"), table_name="request_invitations")
    op.drop_table("request_invitations")
    op.drop_index(op.f("ix_official_link_codes_official_id"), table_name="official_link_codes")
    op.drop_table("official_link_codes")
