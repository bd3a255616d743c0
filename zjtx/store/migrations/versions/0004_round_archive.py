"""Rounds can be archived (read-only, hidden from the round list); existing rounds stay open.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column needs no table rebuild on SQLite: existing rounds read as not archived.
    op.add_column("rounds", sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN: SQLite has it since 3.35 and the column has no index or constraint.
    op.drop_column("rounds", "archived_at")
