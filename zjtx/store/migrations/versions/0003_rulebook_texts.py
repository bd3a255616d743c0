"""Rulebook texts stored once per rulebook hash; new evaluation results keep only the rest.

Results written by earlier revisions stay complete and are read unchanged.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 19:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "rulebook_texts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rulebook_hash", sa.String(length=64), nullable=False),
        sa.Column("rulebook_id", sa.String(length=100), nullable=False),
        sa.Column("texts", JSON_TYPE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rulebook_texts")),
        sa.UniqueConstraint("rulebook_hash", name=op.f("uq_rulebook_texts_rulebook_hash")),
    )


def downgrade() -> None:
    op.drop_table("rulebook_texts")
