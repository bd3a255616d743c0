"""Rulebook texts stored once per rulebook hash; new evaluation results keep only the rest.

Results written by earlier revisions stay complete and are read unchanged. On PostgreSQL the
large JSON columns switch to lz4 compression where the server has it: pglz made storing a
10,000-applicant import several times slower.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 19:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_TYPE = sa.JSON()
LARGE_JSON = (
    ("evaluation_results", "result"),
    ("applicant_versions", "values"),
    ("applicant_versions", "provenance"),
    ("import_files", "issues"),
)


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
    bind = op.get_bind()
    if bind.dialect.name == "postgresql" and _has_lz4(bind):
        for table, column in LARGE_JSON:
            op.execute(f'ALTER TABLE {table} ALTER COLUMN "{column}" SET COMPRESSION lz4')


def _has_lz4(bind: sa.engine.Connection) -> bool:
    """PostgreSQL 14+ built with lz4 (Debian's and the official images are)."""
    settings = sa.table("pg_settings", sa.column("name"), sa.column("enumvals"))
    row = bind.execute(
        sa.select(settings.c.enumvals).where(settings.c.name == "default_toast_compression")
    ).first()
    return row is not None and "lz4" in (row[0] or [])


def downgrade() -> None:
    op.drop_table("rulebook_texts")
