"""Each review keeps when the panel last changed under its decision (a member's 回避 that
withdrew their judgements, or the 组长's own 回避), so the decision asks for a second look.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "reviews", sa.Column("panel_changed_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("panel_changed_at")
